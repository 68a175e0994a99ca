/**
 * A stand-in for Twilio's Messages endpoint on loopback: a real HTTP server, so the SMS provider's
 * request (URL, Basic auth, form encoding, timeout, error handling) is exercised for real.
 * https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One accepted request's form fields (`To`, `From` or `MessagingServiceSid`, `Body`). */
export type SentSms = Readonly<Record<string, string>>;

/** A failure the gateway answers with, in Twilio's error body shape. */
export interface GatewayFailure {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

/** The failure Twilio answers for a malformed number. */
export const INVALID_TO: GatewayFailure = { status: 400, code: 21211, message: 'invalid To' };

export interface FakeSmsGateway {
  /** Pass as the provider's `baseUrl`. */
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Messages accepted (201), in order. */
  readonly sent: readonly SentSms[];
  /** Every request, accepted or not, with the path and Authorization header it came with. */
  readonly requests: ReadonlyArray<{ method: string; path: string; authorization: string; contentType: string }>;
  /** Answers every following request with this failure, or succeeds again with `undefined`. */
  failWith(failure: GatewayFailure | undefined): void;
  stop(): Promise<void>;
}

/** Starts the fake gateway on 127.0.0.1 and a random port, with fresh credentials. */
export async function startFakeSmsGateway(): Promise<FakeSmsGateway> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const sent: SentSms[] = [];
  const requests: Array<{ method: string; path: string; authorization: string; contentType: string }> = [];
  let failure: GatewayFailure | undefined;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const path = request.url ?? '';
    requests.push({
      method: request.method ?? '',
      path,
      authorization: request.headers.authorization ?? '',
      contentType: request.headers['content-type'] ?? '',
    });
    if (request.method !== 'POST' || path !== messagesPath) {
      return json(response, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    }
    if (request.headers.authorization !== expectedAuth) {
      return json(response, 401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    if (failure) {
      return json(response, failure.status, { code: failure.code, message: failure.message, status: failure.status });
    }
    const fields = Object.fromEntries(new URLSearchParams(body));
    sent.push(fields);
    return json(response, 201, {
      sid: `SM${randomBytes(16).toString('hex')}`,
      account_sid: accountSid,
      to: fields.To ?? null,
      from: fields.From ?? null,
      messaging_service_sid: fields.MessagingServiceSid ?? null,
      body: fields.Body ?? '',
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => json(response, 500, { code: 20500, message: 'Internal Server Error' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    sent,
    requests,
    failWith(next) {
      failure = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        // fetch keeps connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
