/**
 * Threats: a leaked website transaction id used from another browser, session theft by script, and
 * cross-site request forgery. docs/two-step-verification.md "Signing in" and docs/decisions.md
 * "Transaction ids are capabilities": the website's transaction is bound to the
 * browser by an HttpOnly cookie, and the same id without it is unknown (404). docs/security.md S22: session
 * cookies are HttpOnly and SameSite (Secure and `__Host-` over HTTPS, not tested over plain HTTP).
 * docs/security.md S28 (CSRF): a cookie-authenticated state change without our own Origin is refused with
 * `origin_mismatch`; a bearer token (the console) needs no Origin.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { PASSWORD, call, createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { enrolTotp, totpNow } from './_factors.ts';
import { DEFAULT_SETTINGS, SETTINGS_URL, expectProblem, organizationWith, transactionFailures } from './_fixtures.ts';

const ORIGIN = 'http://localhost:80';

interface Cookie { name: string; value: string; httpOnly?: boolean; sameSite?: string; path?: string; expires?: Date; maxAge?: number }
const cookieNamed = (response: LightMyRequestResponse, name: string): Cookie | undefined =>
  (response.cookies as Cookie[]).find((c) => c.name === name);

for (const engine of engines()) {
  describe(`website sign-in and cookies on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function requiredMaster() {
      const org = await organizationWith(t, { masterAdministrators: true });
      return { org, factor: await enrolTotp(t, org.email) };
    }

    async function websiteSignIn(email: string) {
      const response = await call(t, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: { kind: 'website' } });
      assert.equal(response.statusCode, 200, response.body);
      const binding = cookieNamed(response, 'twofold_tx');
      assert.ok(binding, 'the transaction is bound by a cookie');
      return { tx: response.json() as TransactionBody, binding };
    }

    test('the transaction is bound to the browser that started it', async () => {
      const { org, factor } = await requiredMaster();
      const { tx, binding } = await websiteSignIn(org.email);
      assert.equal(tx.state, 'verify');
      assert.equal(binding.httpOnly, true);
      assert.equal(binding.sameSite, 'Strict');
      assert.equal(binding.path, '/');
      assert.equal(binding.expires?.toISOString(), tx.expiresAt);
      const cookie = { cookie: `twofold_tx=${binding.value}` };

      // The id alone, or with another browser's cookie, is not found.
      expectProblem(await call(t, 'GET', `/api/v1/transactions/${tx.id}`), 404, 'not_found');
      expectProblem(await call(t, 'GET', `/api/v1/transactions/${tx.id}`, undefined, undefined, { cookie: `twofold_tx=${tx.id}` }), 404, 'not_found');
      const code = totpNow(t, factor.seed);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/verify`, { factorId: factor.factorId, code }), 404, 'not_found');
      assert.equal(await transactionFailures(t, tx.id), 0, 'nothing counted for the stranger');
      // The right browser, but a request from another site: refused before anything happens.
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/verify`, { factorId: factor.factorId, code }, undefined, cookie), 403, 'origin_mismatch');
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/verify`, { factorId: factor.factorId, code }, undefined, { ...cookie, origin: 'https://evil.example' }), 403, 'origin_mismatch');

      const view = await call(t, 'GET', `/api/v1/transactions/${tx.id}`, undefined, undefined, cookie);
      assert.equal(view.statusCode, 200, view.body);
      const done = await call(t, 'POST', `/api/v1/transactions/${tx.id}/verify`, { factorId: factor.factorId, code }, undefined, { ...cookie, origin: ORIGIN });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().state, 'complete');

      // The session is a cookie the page's scripts cannot read; the body carries no token.
      assert.deepEqual(Object.keys(done.json().session), ['expiresAt']);
      const session = cookieNamed(done, 'twofold_session');
      assert.ok(session);
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Strict');
      assert.equal(session.path, '/');
      assert.notEqual(session.value, tx.id);
      // The binding cookie is cleared.
      const cleared = cookieNamed(done, 'twofold_tx');
      assert.ok(cleared);
      assert.equal(cleared.value, '');
      assert.ok(cleared.expires && cleared.expires.getTime() < t.clock.now().getTime(), 'expired at once');
      const me = await call(t, 'GET', '/api/v1/me', undefined, undefined, { cookie: `twofold_session=${session.value}` });
      assert.equal(me.statusCode, 200, me.body);
    });

    test('a cookie-authenticated change needs our Origin; a bearer token needs none', async () => {
      const { org, factor } = await requiredMaster();
      const { tx, binding } = await websiteSignIn(org.email);
      const done = await call(t, 'POST', `/api/v1/transactions/${tx.id}/verify`, { factorId: factor.factorId, code: totpNow(t, factor.seed) }, undefined, { cookie: `twofold_tx=${binding.value}`, origin: ORIGIN });
      const cookie = { cookie: `twofold_session=${cookieNamed(done, 'twofold_session')!.value}` };
      const change = { ...DEFAULT_SETTINGS, masterAdministrators: true, administrators: true };

      expectProblem(await call(t, 'PUT', SETTINGS_URL, change, undefined, cookie), 403, 'origin_mismatch');
      expectProblem(await call(t, 'PUT', SETTINGS_URL, change, undefined, { ...cookie, origin: 'https://evil.example' }), 403, 'origin_mismatch');
      expectProblem(await call(t, 'POST', '/api/v1/sign-out', undefined, undefined, { ...cookie, origin: 'null' }), 403, 'origin_mismatch');
      const unchanged = await call(t, 'GET', SETTINGS_URL, undefined, undefined, cookie);
      assert.equal(unchanged.statusCode, 200, 'reading needs no Origin');
      assert.equal(unchanged.json().administrators, false, 'the refused change did not happen');

      assert.equal((await call(t, 'PUT', SETTINGS_URL, change, undefined, { ...cookie, origin: ORIGIN })).statusCode, 200);
      // The console's bearer token: no Origin at all.
      const bearer = await call(t, 'PUT', SETTINGS_URL, { ...change, administrators: false }, factor.token);
      assert.equal(bearer.statusCode, 200, bearer.body);

      const out = await call(t, 'POST', '/api/v1/sign-out', undefined, undefined, { ...cookie, origin: ORIGIN });
      assert.equal(out.statusCode, 204, out.body);
      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, undefined, cookie), 401, 'unauthenticated');
    });

    test('a console transaction has no cookie and needs none', async () => {
      const { org, factor } = await requiredMaster();
      const response = await call(t, 'POST', '/api/v1/sign-in', { email: org.email, password: PASSWORD, client: { kind: 'technician-console', version: '7.100.0' } });
      assert.equal(response.headers['set-cookie'], undefined);
      const tx = response.json() as TransactionBody;
      const done = await call(t, 'POST', `/api/v1/transactions/${tx.id}/verify`, { factorId: factor.factorId, code: totpNow(t, factor.seed) });
      assert.equal(done.statusCode, 200, done.body);
      assert.ok(done.json().session.token, 'the console gets its token in the body');
      assert.equal(done.headers['set-cookie'], undefined);
    });
  });
}
