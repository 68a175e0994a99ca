/**
 * The request stream of one pairing (docs/push-protocol.md "The request stream"). EventSource cannot
 * send the signed `Twofold-Device` header, so the stream is read with fetch and parsed here. A
 * dropped stream is opened again, with a new signature, after a growing pause; a refused signature
 * (the device was removed, or this computer's clock is far off) waits longer before trying again.
 */
import type { AuthenticatorRequest } from '@twofold/client';
import { DEVICE_HEADER, deviceAuthorization } from './deviceKeys.ts';

export const STREAM_PATH = '/api/v1/authenticator/stream';

export type StreamStatus = 'connecting' | 'connected' | 'refused' | 'offline';

/** A request as the server shows it to this device (the API's type): its context, never the number. */
export type RequestContext = AuthenticatorRequest;

export interface ClosedRequest { readonly id: string; readonly state: string }

export interface StreamHandlers {
  readonly onRequest: (request: RequestContext) => void;
  readonly onClosed: (closed: ClosedRequest) => void;
  readonly onStatus: (status: StreamStatus) => void;
}

/** Splits server-sent events out of the text received so far; answers the events and the rest. */
export function parseEvents(buffer: string): { events: Array<{ name: string; data: string }>; rest: string } {
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  const events = blocks.flatMap((block) => {
    let name = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    }
    return data.length > 0 ? [{ name, data: data.join('\n') }] : [];
  });
  return { events, rest };
}

/** Holds the stream open until the answered function is called. */
export function holdRequestStream(deviceId: string, key: CryptoKey, handlers: StreamHandlers): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const again = (delayMs: number) => {
    if (!stopped) timer = setTimeout(() => { void connect(); }, delayMs);
  };

  async function connect(): Promise<void> {
    controller = new AbortController();
    handlers.onStatus('connecting');
    try {
      const response = await fetch(STREAM_PATH, {
        headers: { [DEVICE_HEADER]: await deviceAuthorization(key, deviceId, 'GET', STREAM_PATH), accept: 'text/event-stream' },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (!response.ok && await problemCode(response) === 'push_signature_invalid') {
        // Removed from the account (or this device's clock is off): asking often will not change that.
        handlers.onStatus('refused');
        return again(60_000);
      }
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      failures = 0;
      handlers.onStatus('connected');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseEvents(buffer + value);
        buffer = parsed.rest;
        for (const event of parsed.events) {
          if (event.name === 'request') handlers.onRequest(JSON.parse(event.data) as RequestContext);
          else if (event.name === 'closed') handlers.onClosed(JSON.parse(event.data) as ClosedRequest);
        }
      }
      // The server ends a stream after ten minutes, or when it stops: open a new one at once.
      again(500);
    } catch {
      if (stopped) return;
      failures += 1;
      handlers.onStatus('offline');
      again(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)));
    }
  }

  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    controller?.abort();
  };
}

/** The `code` of a problem answer, or null when the answer is not one. */
async function problemCode(response: Response): Promise<string | null> {
  try {
    const problem = await response.json() as { code?: unknown };
    return typeof problem.code === 'string' ? problem.code : null;
  } catch {
    return null;
  }
}
