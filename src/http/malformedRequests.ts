/**
 * Requests too broken for Fastify to route still get `application/problem+json` with a stable code.
 * Node's HTTP parser refuses a bad request line, oversized headers or URL, conflicting lengths and a
 * bad chunk before any route sees them; a client that is too slow is cut off by the server's timeouts
 * (see connectionLimits.ts). Both arrive at the `clientError` handler here, which answers on the raw
 * socket and closes it: after a framing error nothing else on that connection can be trusted.
 * A missing `Host` and a long URL that the parser let through are refused before the guard.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { TwofoldError, type ErrorCode } from '../core/errors.ts';
import { statusOf } from './problem.ts';

/** Longer URLs are refused with 414; the API's longest is a path with two ids and a short query. */
export const MAX_URL_LENGTH = 8 * 1024;

/** What Node's parser and timeouts report, as the problem a client is told. */
function problemFor(error: NodeJS.ErrnoException & { rawPacket?: Buffer }): { code: ErrorCode; title: string } {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'request_timeout', title: 'The request was not received in time.' };
    case 'HPE_HEADER_OVERFLOW':
      // Node counts the request line as header bytes: an unfinished first line means the URL is too long.
      return isUnfinishedRequestLine(error.rawPacket)
        ? { code: 'uri_too_long', title: `The URL is longer than ${MAX_URL_LENGTH} characters.` }
        : { code: 'headers_too_large', title: 'The request headers are too large.' };
    default:
      return { code: 'bad_request', title: 'The request is not well-formed HTTP.' };
  }
}

function isUnfinishedRequestLine(packet: Buffer | undefined): boolean {
  if (!packet) return false;
  const newline = packet.indexOf(0x0a);
  return /^[A-Z]+ \S/.test(packet.subarray(0, 64).toString('latin1')) && (newline === -1 || newline > MAX_URL_LENGTH);
}

/** The raw HTTP/1.1 answer to a request Node's parser refused or a timeout cut off. */
export function rawProblem(code: ErrorCode, title: string): string {
  const status = statusOf(code);
  const body = JSON.stringify({ type: `urn:twofold:problem:${code}`, title, status, code });
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/problem+json\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** For Fastify's `clientErrorHandler` option. */
export function clientErrorHandler(this: FastifyInstance, error: Error, socket: Socket): void {
  const nodeError = error as NodeJS.ErrnoException & { rawPacket?: Buffer };
  // A reset connection has nobody left to answer.
  if (nodeError.code === 'ECONNRESET' || socket.destroyed) return;
  const { code, title } = problemFor(nodeError);
  this.log.debug({ code, parserCode: nodeError.code }, 'malformed or slow request refused');
  // Closed once the answer is out: after a framing error nothing more on this connection can be trusted.
  if (socket.writable) socket.end(rawProblem(code, title), () => socket.destroy());
  else socket.destroy();
}

/**
 * Before the guard: an HTTP/1.1 request must name its host (RFC 9112 3.2; Node's own check answers
 * an empty 400, so it is off and done here), and a URL the parser let through may still be too long.
 */
export function refuseMalformedRequests(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request, and it has nothing to wait for.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.raw.httpVersion === '1.1' && !request.headers.host) {
      done(new TwofoldError('bad_request', 'An HTTP/1.1 request must have a Host header.'));
    } else if (request.url.length > MAX_URL_LENGTH) {
      done(new TwofoldError('uri_too_long', `The URL is longer than ${MAX_URL_LENGTH} characters.`));
    } else {
      done();
    }
  });
}
