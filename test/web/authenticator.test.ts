/**
 * The web authenticator's parts that need no browser: the install files the server serves (a
 * manifest, icons and a service worker under fixed names, revalidated, with a policy of their own),
 * its signatures checked by the server's own verification (so the page and the server agree on the
 * signed texts), the pairing link's token, and the server-sent events read from a fetch stream.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { INSTALL_FILES, NONCE_PLACEHOLDER } from '../../src/http/web.ts';
import { decisionMessage, deviceRequestMessage, importDeviceKey } from '../../src/methods/pushSignature.ts';
import { deviceAuthorization, newDeviceKey, pairingTokenOf, signDecision } from '../../web/src/features/authenticator/deviceKeys.ts';
import { parseEvents } from '../../web/src/features/authenticator/requestStream.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';

describe('the web authenticator\'s install files', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let dist: string;
  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'twofold-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), `<!doctype html><meta name="csp-nonce" content="${NONCE_PLACEHOLDER}">`);
    writeFileSync(join(dist, 'authenticator.webmanifest'), '{"start_url":"/authenticator"}');
    writeFileSync(join(dist, 'authenticator-sw.js'), 'self.addEventListener("fetch", () => {});');
    t = await createTestApp();
    app = await buildApp(t.ctx, { logLevel: false, trustedProxies: [], publicUrl: undefined, webDist: dist });
  });
  after(async () => {
    await app.close();
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  test('the manifest and the service worker are served with their types, revalidated, under a policy that runs nothing else', async () => {
    for (const [path, type] of [['/authenticator.webmanifest', 'application/manifest+json'], ['/authenticator-sw.js', 'text/javascript']] as const) {
      const response = await app.inject({ method: 'GET', url: path });
      assert.equal(response.statusCode, 200, path);
      assert.ok(String(response.headers['content-type']).startsWith(type), path);
      assert.equal(response.headers['cache-control'], 'no-cache');
      assert.equal(response.headers['content-security-policy'], "default-src 'none'; connect-src 'self'");
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
    }
    assert.equal((await app.inject({ method: 'GET', url: '/authenticator' })).statusCode, 200, 'the page itself');
  });

  test('an install file missing from the build is a 404, and no other name at the root is served', async () => {
    assert.ok('/authenticator-icon-192.png' in INSTALL_FILES);
    assert.equal((await app.inject({ method: 'GET', url: '/authenticator-icon-192.png' })).statusCode, 404);
    assert.ok([404, 401].includes((await app.inject({ method: 'GET', url: '/index.html' })).statusCode));
  });
});

describe('the web authenticator\'s protocol pieces', () => {
  test('its key is not extractable, and the server verifies its decisions and device headers', async () => {
    const { privateKey, publicKey } = await newDeviceKey();
    assert.equal(privateKey.extractable, false);
    const serverKey = await importDeviceKey(publicKey);
    const verify = (signature: string, message: Uint8Array) =>
      webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, serverKey, Buffer.from(signature, 'base64url'), message);

    const signature = await signDecision(privateKey, 'request-1', '47', 'approve');
    assert.equal(Buffer.from(signature, 'base64url').length, 64, 'IEEE P1363, not DER');
    assert.equal(await verify(signature, decisionMessage('request-1', '47', 'approve')), true);
    assert.equal(await verify(signature, decisionMessage('request-1', '48', 'approve')), false, 'bound to the number');
    assert.equal(await verify(await signDecision(privateKey, 'request-1', '', 'deny'), decisionMessage('request-1', '', 'deny')), true);

    const header = await deviceAuthorization(privateKey, '0190d1c3-0000-7000-8000-000000000001', 'get', '/api/v1/authenticator/stream', 1_750_000_000_000);
    const [deviceId, timestamp, headerSignature] = header.split('.') as [string, string, string];
    assert.equal(deviceId, '0190d1c3-0000-7000-8000-000000000001');
    assert.equal(await verify(headerSignature, deviceRequestMessage('GET', '/api/v1/authenticator/stream', deviceId, timestamp)), true);
  });

  test('the pairing token is read from a whole link or alone, and anything else is refused', () => {
    const token = 'QUpZgWOkMZx7hKKlUqdJPR0Zd44ECQk1pBDJgYg_Jns';
    assert.equal(pairingTokenOf(` https://twofold.example/authenticator#pair=${token}\n`), token);
    assert.equal(pairingTokenOf(token), token);
    assert.equal(pairingTokenOf('https://twofold.example/authenticator'), null);
    assert.equal(pairingTokenOf('not a link at all'), null);
  });

  test('server-sent events are split as they arrive, a partial event kept for the next chunk', () => {
    const first = parseEvents(': connected\n\nevent: request\ndata: {"id":"a"}\n\nevent: closed\ndata: {"id"');
    assert.deepEqual(first.events, [{ name: 'request', data: '{"id":"a"}' }]);
    const second = parseEvents(`${first.rest}:"a","state":"expired"}\n\n: keep-alive\n\n`);
    assert.deepEqual(second.events, [{ name: 'closed', data: '{"id":"a","state":"expired"}' }]);
    assert.equal(second.rest, '');
  });
});
