/**
 * The terminal authenticator's side of the push protocol (docs/push-protocol.md), over the public API
 * only: a P-256 key made with WebCrypto and kept in a file readable by its owner alone (mode 0600),
 * pairing with a link, signed reads of pending requests and of the request stream, signed answers.
 */
import { webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuthenticatorRequest } from '@twofold/client';
import { decisionMessage, deviceRequestMessage, type PushDecision } from '../../methods/pushSignature.ts';

/** What the key file holds: the device, its server and its private key (JWK). */
export interface DeviceFile {
  readonly version: 1;
  readonly serverOrigin: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly organizationName: string;
  readonly memberEmail: string;
  readonly privateKeyJwk: webcrypto.JsonWebKey;
}

/** A request as the server shows it to the device (the API's type): context, never the number. */
export type PushRequestContext = AuthenticatorRequest;

/** A problem answer from the server, with its stable code. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Reads a pairing link: `<origin>/authenticator#pair=<token>`. */
export function parsePairingLink(link: string): { origin: string; token: string } {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new Error('not a pairing link: expected <server>/authenticator#pair=<token>');
  }
  const token = /^#pair=([A-Za-z0-9_-]{20,100})$/.exec(url.hash)?.[1];
  if (!token || !/^https?:$/.test(url.protocol)) throw new Error('not a pairing link: expected <server>/authenticator#pair=<token>');
  return { origin: url.origin, token };
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const body = await response.json().catch(() => ({})) as { code?: string; title?: string };
  return new ApiProblem(response.status, body.code ?? 'unknown', `${body.title ?? response.statusText} (${body.code ?? response.status})`);
}

/** Makes a key pair, registers it with the pairing link, and writes the key file (mode 0600). */
export async function pairDevice(link: string, keyFile: string, deviceName: string, platform = 'terminal'): Promise<DeviceFile> {
  const { origin, token } = parsePairingLink(link);
  // Extractable only so it can be written to the key file, the one place it lives.
  const keys = await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const publicKey = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)).toString('base64url');
  const response = await fetch(`${origin}/api/v1/authenticator/pairings`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pairingToken: token, publicKey, deviceName, platform }),
  });
  if (response.status !== 201) throw await problemOf(response);
  const paired = await response.json() as { deviceId: string; organizationName: string; memberEmail: string };
  const device: DeviceFile = {
    version: 1, serverOrigin: origin, deviceId: paired.deviceId, deviceName,
    organizationName: paired.organizationName, memberEmail: paired.memberEmail,
    privateKeyJwk: await webcrypto.subtle.exportKey('jwk', keys.privateKey),
  };
  writeDeviceFile(keyFile, device);
  return device;
}

/** Written to a temporary file created with mode 0600, then renamed: never readable by others, even briefly. */
function writeDeviceFile(path: string, device: DeviceFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(device, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function readDeviceFile(path: string): DeviceFile {
  if (!existsSync(path)) throw new Error(`no authenticator key at ${path}: pair first (twofold authenticator pair LINK)`);
  const device = JSON.parse(readFileSync(path, 'utf8')) as DeviceFile;
  if (device.version !== 1 || typeof device.deviceId !== 'string' || typeof device.serverOrigin !== 'string') {
    throw new Error(`${path} is not a Twofold Authenticator key file`);
  }
  return device;
}

/** A paired device, ready to read and answer its requests. */
export class DeviceClient {
  private constructor(readonly device: DeviceFile, private readonly privateKey: webcrypto.CryptoKey) {}

  static async open(path: string): Promise<DeviceClient> {
    const device = readDeviceFile(path);
    const key = await webcrypto.subtle.importKey('jwk', device.privateKeyJwk, ECDSA, false, ['sign']);
    return new DeviceClient(device, key);
  }

  private async sign(message: Uint8Array): Promise<string> {
    return Buffer.from(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.privateKey, message)).toString('base64url');
  }

  private async headers(method: string, path: string): Promise<Record<string, string>> {
    const timestamp = String(Date.now());
    const signature = await this.sign(deviceRequestMessage(method, path, this.device.deviceId, timestamp));
    return { 'twofold-device': `${this.device.deviceId}.${timestamp}.${signature}` };
  }

  /** The device's pending requests, oldest first. */
  async pending(): Promise<PushRequestContext[]> {
    const path = '/api/v1/authenticator/requests';
    const response = await fetch(`${this.device.serverOrigin}${path}`, { headers: await this.headers('GET', path) });
    if (response.status !== 200) throw await problemOf(response);
    return (await response.json() as { requests: PushRequestContext[] }).requests;
  }

  /** Answers a request, signed over its id, the number typed and the decision. */
  async decide(requestId: string, number: string, decision: PushDecision): Promise<string> {
    const signature = await this.sign(decisionMessage(requestId, number, decision));
    const response = await fetch(`${this.device.serverOrigin}/api/v1/authenticator/requests/${encodeURIComponent(requestId)}/decision`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision, number, signature }),
    });
    if (response.status !== 200) throw await problemOf(response);
    return (await response.json() as { state: string }).state;
  }

  /**
   * Holds the request stream until `signal` aborts, calling `onRequest` for each pending request and
   * `onClosed` when one ends. Reconnects with a fresh signature when the stream ends or drops.
   */
  async stream(
    handlers: { onRequest(request: PushRequestContext): void; onClosed(id: string, state: string): void; onError?(error: unknown): void },
    signal: AbortSignal,
  ): Promise<void> {
    const path = '/api/v1/authenticator/stream';
    while (!signal.aborted) {
      try {
        const response = await fetch(`${this.device.serverOrigin}${path}`, { headers: await this.headers('GET', path), signal });
        if (response.status !== 200 || !response.body) throw await problemOf(response);
        await readEvents(response.body, (name, data) => {
          if (name === 'request') handlers.onRequest(JSON.parse(data) as PushRequestContext);
          if (name === 'closed') {
            const closed = JSON.parse(data) as { id: string; state: string };
            handlers.onClosed(closed.id, closed.state);
          }
        });
      } catch (error) {
        if (signal.aborted) return;
        // A refused signature will not get better by retrying: the device was removed.
        if (error instanceof ApiProblem && error.code === 'push_signature_invalid') throw error;
        handlers.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  }
}

/** Reads server-sent events (`event:` and `data:` lines, blank line between) from a body stream. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (name: string, data: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) onEvent(name, data.join('\n'));
    }
  }
}
