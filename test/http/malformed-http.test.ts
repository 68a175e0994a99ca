/**
 * Against a real listening server, over raw sockets: malformed HTTP (a bad request line, oversized
 * headers or URL, conflicting lengths, a bad chunk, no Host) answers problem+json with a stable code
 * and closes the connection; a client sending its headers or body slowly is cut off with 408
 * `request_timeout`, idle keep-alive connections are closed, connections beyond the cap are refused,
 * and a normal client is served throughout.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';

const LIMITS = { headersTimeoutMs: 500, requestTimeoutMs: 1_200, keepAliveTimeoutMs: 2_000, maxConnections: 4 };

interface Exchange { readonly text: string; readonly closed: boolean; readonly ms: number }

/** Sends `chunks` (waiting `gapMs` between them) and collects the answer until the server closes or `waitMs` passes. */
function exchange(port: number, chunks: string[], { gapMs = 0, waitMs = 3_000 } = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ text, closed, ms: Date.now() - started });
    };
    socket.on('data', (data) => { text += data.toString('latin1'); });
    socket.on('close', () => finish(true));
    socket.on('error', () => {});
    setTimeout(() => finish(false), waitMs);
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (gapMs) await sleep(gapMs);
      }
    });
  });
}

function problemOf(answer: Exchange): { status: number; contentType: string; code: string } {
  const [head = '', body = ''] = answer.text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const contentType = /\r\ncontent-type: ([^\r;]+)/i.exec(head)?.[1] ?? '';
  let code = '';
  try { code = (JSON.parse(body) as { code: string }).code; } catch { /* not JSON */ }
  return { status, contentType, code };
}

describe('malformed and slow HTTP against a listening server', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let port: number;
  before(async () => {
    t = await createTestApp();
    app = await buildApp(t.ctx, { logLevel: false, trustedProxies: [], publicUrl: undefined, connectionLimits: LIMITS });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  after(async () => {
    await app.close();
    await t.close();
  });

  const CASES: Array<[string, string, number, string]> = [
    ['a bad request line', 'GARBAGE\r\n\r\n', 400, 'bad_request'],
    ['an unknown HTTP version', 'GET /healthz HTTP/9.9\r\nHost: a\r\n\r\n', 400, 'bad_request'],
    ['a URL over the parser limit', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`, 414, 'uri_too_long'],
    ['a URL over 8 KiB', `GET /healthz?${'a'.repeat(9_000)} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`, 414, 'uri_too_long'],
    ['oversized headers', `GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
    ['Content-Length with Transfer-Encoding', 'POST /api/v1/sign-in HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'bad_request'],
    ['two Content-Lengths', 'POST /api/v1/sign-in HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400, 'bad_request'],
    ['a bad chunk', 'POST /api/v1/sign-in HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', 400, 'bad_request'],
    ['no Host', 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'bad_request'],
  ];
  for (const [name, request, status, code] of CASES) {
    test(`${name}: ${status} ${code} as problem+json`, async () => {
      const answer = await exchange(port, [request]);
      assert.deepEqual(problemOf(answer), { status, contentType: 'application/problem+json', code }, answer.text.slice(0, 300));
    });
  }

  test('a normal request is served, and HTTP/1.0 needs no Host', async () => {
    const answer = await exchange(port, ['GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n']);
    assert.match(answer.text, /^HTTP\/1\.1 200 /);
    const old = await exchange(port, ['GET /healthz HTTP/1.0\r\n\r\n']);
    assert.match(old.text, /^HTTP\/1\.1 200 /);
  });

  test('headers sent slowly are cut off with 408 request_timeout', async () => {
    const drip = ['GET /healthz HTTP/1.1\r\n', ...Array.from({ length: 40 }, (_, i) => `X-Drip-${i}: a\r\n`), '\r\n'];
    const answer = await exchange(port, drip, { gapMs: 100, waitMs: 5_000 });
    assert.ok(answer.closed, 'the server closed the connection');
    assert.ok(answer.ms < 2_500, `cut off after ${answer.ms} ms`);
    assert.deepEqual(problemOf(answer), { status: 408, contentType: 'application/problem+json', code: 'request_timeout' });
  });

  test('a body sent slowly is cut off', async () => {
    const head = 'POST /api/v1/password-resets HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n';
    const answer = await exchange(port, [head, ...'{"email":"slow@example.test"            }'.split('')], { gapMs: 100, waitMs: 6_000 });
    assert.ok(answer.closed, 'the server closed the connection');
    assert.ok(answer.ms < 3_500, `cut off after ${answer.ms} ms`);
    assert.match(answer.text, /^HTTP\/1\.1 408 /);
  });

  test('a keep-alive client idle longer than the headers timeout is still served; an idle connection is closed after the keep-alive timeout', async () => {
    const request = 'GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n';
    const answer = await exchange(port, [request, request], { gapMs: 900, waitMs: 5_000 });
    assert.equal(answer.text.match(/HTTP\/1\.1 200 /g)?.length, 2, answer.text);
    assert.ok(answer.closed, 'closed when idle');
    assert.ok(answer.ms > 2_500 && answer.ms < 4_500, `closed after ${answer.ms} ms`);
  });

  test('connections beyond the cap are refused; the others are served', async () => {
    const held: Socket[] = [];
    try {
      for (let i = 0; i < LIMITS.maxConnections; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => {});
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.write('GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n');
        held.push(socket);
      }
      await sleep(100);
      const refused = await exchange(port, ['GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n'], { waitMs: 1_000 });
      assert.ok(refused.closed && refused.text === '', `refused: ${JSON.stringify(refused)}`);
    } finally {
      for (const socket of held) socket.destroy();
    }
    await sleep(100);
    const served = await exchange(port, ['GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n']);
    assert.match(served.text, /^HTTP\/1\.1 200 /);
  });
});
