/**
 * How the server serves the website: every page route answers index.html with a fresh nonce and a
 * strict policy, the built assets are immutable and compressed, an unknown URL stays a 404, and the
 * page routes are exactly the app's own paths. Runs against a small stand-in build in a temporary
 * directory, so it needs no Vite build.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildApp } from '../../src/http/app.ts';
import { PAGE_ROUTES, NONCE_PLACEHOLDER } from '../../src/http/web.ts';
import { PAGE_PATHS } from '../../web/src/paths.ts';
import { createTestApp, newOrganization, type TestApp } from '../support/harness.ts';
import type { FastifyInstance } from 'fastify';

/** What the guard answers for a route nobody declared: 404, or 401 where it still asks for a session first. */
const isUnknownRoute = (status: number) => status === 404 || status === 401;
const SCRIPT = 'console.log("twofold");'.repeat(40);

describe('serving the website', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let dist: string;
  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'twofold-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), `<!doctype html><html lang="en"><head><meta name="csp-nonce" content="${NONCE_PLACEHOLDER}"><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`);
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), SCRIPT);
    t = await createTestApp();
    app = await buildApp(t.ctx, { logLevel: false, trustedProxies: [], publicUrl: undefined, webDist: dist });
    await newOrganization(t);
  });
  after(async () => {
    await app.close();
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  test('the server declares exactly the app\'s page paths', () => {
    assert.deepEqual([...PAGE_ROUTES].sort(), [...PAGE_PATHS].sort());
  });

  test('each page route answers index.html with its own nonce and the security headers', async () => {
    const nonces = new Set<string>();
    for (const path of PAGE_ROUTES.map((route) => route.replace(/:\w+/g, 'some-token'))) {
      const page = await app.inject({ method: 'GET', url: path });
      assert.equal(page.statusCode, 200, path);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      const csp = String(page.headers['content-security-policy']);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      assert.ok(nonce, `${path} has a nonce`);
      nonces.add(nonce);
      assert.ok(page.body.includes(`<meta name="csp-nonce" content="${nonce}">`), 'the page carries the same nonce');
      assert.ok(!page.body.includes(NONCE_PLACEHOLDER));
      for (const directive of ["default-src 'none'", "script-src 'self'", `style-src 'self' 'nonce-${nonce}'`, "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", "connect-src 'self'"]) {
        assert.ok(csp.includes(directive), `${path}: ${directive}`);
      }
      assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), 'nothing inline, nothing evaluated');
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      assert.equal(page.headers['cache-control'], 'no-store');
    }
    assert.equal(nonces.size, PAGE_ROUTES.length, 'a fresh nonce every time');
  });

  test('assets are immutable, gzip-compressed when asked, and an unknown one is a 404', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.body, SCRIPT);
    assert.match(String(plain.headers['content-type']), /^text\/javascript/);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['x-content-type-options'], 'nosniff');
    const zipped = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(zipped.rawPayload.length < SCRIPT.length);
    assert.equal(gunzipSync(zipped.rawPayload).toString(), SCRIPT);
    assert.equal((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode, 404);
    for (const url of ['/assets/../index.html', '/assets/%2e%2e/index.html', '/assets/..%2findex.html']) {
      const missing = await app.inject({ method: 'GET', url });
      assert.ok(isUnknownRoute(missing.statusCode), `${url}: ${missing.statusCode}`);
    }
  });

  test('an unknown URL stays a problem, not the app', async () => {
    for (const url of ['/nothing-here', '/sign-in/elsewhere', '/account/x', '/index.html']) {
      const response = await app.inject({ method: 'GET', url });
      assert.ok(isUnknownRoute(response.statusCode), `${url}: ${response.statusCode}`);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    }
  });

  test('without a build, a page says how to build it', async () => {
    const bare = await buildApp(t.ctx, { logLevel: false, trustedProxies: [], publicUrl: undefined, webDist: join(dist, 'nothing') });
    try {
      const page = await bare.inject({ method: 'GET', url: '/sign-in' });
      assert.equal(page.statusCode, 503);
      assert.match(page.body, /npm start/);
    } finally {
      await bare.close();
    }
  });
});
