/**
 * docs/security.md S22 over HTTPS (here behind a trusted proxy that says `X-Forwarded-Proto: https`): the
 * website's session and transaction cookies are `__Host-` prefixed, Secure, HttpOnly, SameSite=Strict,
 * Path=/ and without Domain, so only this exact origin can set or read them; and only the prefixed
 * cookie is read, so a bare-named cookie planted by a sibling subdomain or over plain HTTP is ignored.
 * The same holds when TWOFOLD_PUBLIC_URL is https behind a proxy that is not declared as trusted.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { PASSWORD, createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { enrolTotp, totpNow } from '../twoStep/_factors.ts';
import { addMember, organizationWith } from '../twoStep/_fixtures.ts';

const HTTPS = { 'x-forwarded-proto': 'https' };
const ORIGIN = 'https://localhost:80';

interface Cookie { name: string; value: string; secure?: boolean; httpOnly?: boolean; sameSite?: string; path?: string; domain?: string }
const cookieNamed = (response: LightMyRequestResponse, name: string): Cookie | undefined =>
  (response.cookies as Cookie[]).find((c) => c.name === name);

function assertHostCookie(cookie: Cookie | undefined, name: string): Cookie {
  assert.ok(cookie, `${name} is set`);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/');
  assert.equal(cookie.domain, undefined);
  return cookie;
}

for (const engine of engines()) {
  describe(`cookies over HTTPS on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine, trustedProxies: ['127.0.0.1'] }); });
    after(async () => { await t.close(); });

    const request = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: unknown) => t.app.inject({
      method, url, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const websiteSignIn = (email: string, headers: Record<string, string> = HTTPS) =>
      request('POST', '/api/v1/sign-in', headers, { email, password: PASSWORD, client: { kind: 'website' } });

    test('the session cookie is __Host-, Secure and the rest; only it is read', async () => {
      const member = await addMember(t, await organizationWith(t));
      const signedIn = await websiteSignIn(member.email);
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      assert.equal(cookieNamed(signedIn, 'twofold_session'), undefined, 'no bare-named cookie over HTTPS');
      const session = assertHostCookie(cookieNamed(signedIn, '__Host-twofold_session'), '__Host-twofold_session');

      const me = (cookie: string, headers: Record<string, string> = HTTPS) => request('GET', '/api/v1/me', { ...headers, cookie });
      assert.equal((await me(`__Host-twofold_session=${session.value}`)).statusCode, 200);
      // The same token under the bare name, as a sibling subdomain could plant it, is not read.
      assert.equal((await me(`twofold_session=${session.value}`)).statusCode, 401);
      // Nor is the prefixed cookie read over plain HTTP, where the browser would not have sent it.
      assert.equal((await me(`__Host-twofold_session=${session.value}`, {})).statusCode, 401);
    });

    test('the transaction binding cookie is __Host- too, and completes the sign-in over HTTPS', async () => {
      const org = await organizationWith(t, { masterAdministrators: true });
      const factor = await enrolTotp(t, org.email);
      const started = await websiteSignIn(org.email);
      assert.equal(started.statusCode, 200, started.body);
      const tx = started.json() as TransactionBody;
      assert.equal(tx.state, 'verify');
      const binding = assertHostCookie(cookieNamed(started, '__Host-twofold_tx'), '__Host-twofold_tx');

      // The bare-named binding cookie does not bind.
      const body = { factorId: factor.factorId, code: totpNow(t, factor.seed) };
      const stranger = await request('POST', `/api/v1/transactions/${tx.id}/verify`, { ...HTTPS, origin: ORIGIN, cookie: `twofold_tx=${binding.value}` }, body);
      assert.equal(stranger.statusCode, 404, stranger.body);

      const verified = await request('POST', `/api/v1/transactions/${tx.id}/verify`, { ...HTTPS, origin: ORIGIN, cookie: `__Host-twofold_tx=${binding.value}` }, body);
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal((verified.json() as TransactionBody).state, 'complete');
      assertHostCookie(cookieNamed(verified, '__Host-twofold_session'), '__Host-twofold_session');
    });
  });
}

describe('cookies with an https public URL and no trusted proxy', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp({ publicUrl: 'https://twofold.example.com' }); });
  after(async () => { await t.close(); });

  test('the session cookie is __Host- and Secure though the request reached the server over HTTP', async () => {
    const member = await addMember(t, await organizationWith(t));
    const signedIn = await t.app.inject({
      method: 'POST', url: '/api/v1/sign-in', headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: member.email, password: PASSWORD, client: { kind: 'website' } }),
    });
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    const session = assertHostCookie(cookieNamed(signedIn, '__Host-twofold_session'), '__Host-twofold_session');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `__Host-twofold_session=${session.value}` } });
    assert.equal(me.statusCode, 200, me.body);
  });
});

