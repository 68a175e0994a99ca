/**
 * The HTTP edge: health and readiness, the OpenAPI document, the first-run page, the client IP taken
 * from the socket unless a proxy is trusted, and problem+json for what no route handles.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupTokenOf } from '../../src/crypto/setupToken.ts';
import { newToken } from '../../src/crypto/tokens.ts';
import { buildApp } from '../../src/http/app.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';

const CONTRACT_PATHS = [
  '/api/v1/technician-groups', '/api/v1/technician-groups/{id}', '/api/v1/members', '/api/v1/members/{id}',
  '/api/v1/sign-in', '/api/v1/sign-out', '/api/v1/me', '/api/v1/transactions/{id}', '/api/v1/transactions/{id}/challenges',
  '/api/v1/transactions/{id}/verify', '/api/v1/transactions/{id}/factors', '/api/v1/transactions/{id}/factors/{factorId}/confirm',
  '/api/v1/transactions/{id}/activate', '/api/v1/me/password', '/api/v1/settings/two-step-verification',
  '/api/v1/settings/two-step-verification/preview', '/api/v1/two-step-verification/resets',
];

for (const engine of engines()) {
  describe(`HTTP edge on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('/healthz and /readyz answer without a session', async () => {
      assert.deepEqual((await call(t, 'GET', '/healthz')).json(), { status: 'ok' });
      assert.deepEqual((await call(t, 'GET', '/readyz')).json(), { status: 'ready', database: engine });
    });

    test('the OpenAPI document describes every path of the API contract', async () => {
      const response = await call(t, 'GET', '/api/openapi.json');
      assert.equal(response.statusCode, 200);
      const doc = response.json<{ openapi: string; paths: Record<string, unknown> }>();
      assert.match(doc.openapi, /^3\./);
      for (const path of CONTRACT_PATHS) assert.ok(doc.paths[path], `${path} is documented`);
    });

    test('first run: the API says it is to be done, the first organization is created once, then it says so', async () => {
      const setupToken = setupTokenOf(newToken());
      const app = await buildApp(t.ctx, { logLevel: false, trustedProxies: [], publicUrl: undefined, setupToken });
      const first: TestApp = { ...t, app };
      // The website's first-run page asks the server first; the page itself is the app's (test/web).
      assert.deepEqual((await call(first, 'GET', '/api/v1/setup')).json(), { required: true, minimumStrength: 'good' });
      for (const path of ['/', '/first-run']) {
        const page = await call(first, 'GET', path);
        assert.match(String(page.headers['content-security-policy']), /default-src 'none'/, path);
        assert.doesNotMatch(String(page.headers['content-security-policy']), /unsafe-inline|script-src 'nonce-/, `${path}: no inline script any more`);
      }
      const body = { organizationName: 'First Org', name: 'Fay First', email: 'fay@first.test', password: 'Correct-Horse-9', setupToken: setupToken.value };
      const created = await call(first, 'POST', '/api/v1/setup', body);
      assert.equal(created.statusCode, 201, created.body);
      const again = await call(first, 'POST', '/api/v1/setup', { ...body, email: 'other@first.test' });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'setup_already_done');
      assert.deepEqual((await call(first, 'GET', '/api/v1/setup')).json(), { required: false, minimumStrength: 'good' });
      await app.close();
    });

    test('what does not exist is a 404 whatever the session; what exists and needs one is a 401', async () => {
      for (const url of ['/favicon.ico', '/nope', '/api/v1/nope', '/api/v1/members/x/nothing-here']) {
        const signedOutOrNot: Array<Record<string, string>> = [{}, { authorization: `Bearer ${'x'.repeat(40)}` }, { cookie: 'twofold_session=abc' }];
        for (const headers of signedOutOrNot) {
          const response = await call(t, 'GET', url, undefined, undefined, headers);
          assert.equal(response.statusCode, 404, `${url} ${JSON.stringify(headers)}`);
          assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
          assert.equal(response.json().code, 'not_found');
        }
      }
      const unknownPost = await call(t, 'POST', '/api/v1/nope', { a: 1 });
      assert.equal(unknownPost.statusCode, 404);
      for (const url of ['/api/v1/me', '/api/v1/members/00000000-0000-4000-8000-000000000000', '/api/v1/members/not-even-an-id']) {
        const response = await call(t, 'GET', url);
        assert.equal(response.statusCode, 401, url);
        assert.equal(response.json().code, 'unauthenticated');
      }
    });
  });
}

describe('client IP', () => {
  test('X-Forwarded-For is ignored unless the proxy is trusted', async () => {
    const t = await createTestApp();
    try {
      const seen: string[] = [];
      for (const trusted of [[], ['127.0.0.1']]) {
        const app = await buildApp(t.ctx, { logLevel: false, trustedProxies: trusted, publicUrl: undefined });
        app.get('/ip-probe', { config: { public: true } }, async (request) => request.ip);
        const response = await app.inject({ method: 'GET', url: '/ip-probe', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } });
        seen.push(response.body);
        await app.close();
      }
      assert.deepEqual(seen, ['127.0.0.1', '203.0.113.9']);
    } finally {
      await t.close();
    }
  });
});
