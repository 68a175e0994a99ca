/**
 * Threat: MFA bypass by using what the password step returned as if it were a session.
 * docs/security.md S19 (WSTG "MFA bypass"; ASVS 6.3.3): with only the password passed, every protected
 * route answers 401, the console API included. docs/security.md S21 (ASVS 7.2.4): a session is issued only
 * after the second factor, and it is a new token: the transaction id, the browser-binding cookie and
 * a password-change transaction are never sessions. The routes are read from the OpenAPI document,
 * so a route added later is covered without anyone remembering to add it here.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { PASSWORD, call, createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { enrolTotp, signInExpecting, totpNow, verify } from './_factors.ts';
import { expectProblem, organizationWith } from './_fixtures.ts';

interface Operation { readonly method: string; readonly url: string }
const ORIGIN = 'http://localhost:80';
const SOME_ID = '00000000-0000-4000-8000-000000000000';

for (const engine of engines()) {
  describe(`the second factor holds on every route on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function protectedOperations(): Promise<Operation[]> {
      const doc = (await call(t, 'GET', '/api/openapi.json')).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
      const operations: Operation[] = [];
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          // `security: []` marks the public routes (sign-in and the transaction steps themselves).
          if (Array.isArray(operation.security) && operation.security.length === 0) continue;
          operations.push({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, SOME_ID) });
        }
      }
      return operations;
    }

    function attempt(op: Operation, headers: Record<string, string>): Promise<LightMyRequestResponse> {
      const body = op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: '{}', headers: { ...headers, 'content-type': 'application/json' } };
      return t.app.inject({ method: op.method as 'GET', url: op.url, headers, ...body });
    }

    test('every protected route refuses the transaction id, as bearer or cookie, and no credential at all', async () => {
      const org = await organizationWith(t);
      await call(t, 'PUT', '/api/v1/settings/two-step-verification', {
        masterAdministrators: true, administrators: false, technicians: 'none', primaryMethod: 'totp', allowedMethods: ['totp', 'sms', 'email'],
      }, org.masterToken);
      const factor = await enrolTotp(t, org.email);
      const sessionsBefore = await sessionCount(org.masterId);

      const consoleTx = await signInExpecting(t, org.email, 'verify');
      const website = await call(t, 'POST', '/api/v1/sign-in', { email: org.email, password: PASSWORD, client: { kind: 'website' } });
      const websiteTx = website.json() as TransactionBody;
      const binding = /twofold_tx=([^;]+)/.exec(String(website.headers['set-cookie']))?.[1];
      assert.ok(binding, 'the website transaction is bound by a cookie');
      const change = await call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'Another-Horse-42' }, factor.token);
      assert.equal(change.statusCode, 202, change.body);
      const changeTx = change.json() as TransactionBody;
      assert.equal(await sessionCount(org.masterId), sessionsBefore, 'no session before the second factor');
      assert.equal(consoleTx.session, undefined);
      assert.equal(websiteTx.session, undefined);

      const operations = await protectedOperations();
      assert.ok(operations.length >= 12, `protected routes found: ${operations.length}`);
      const credentials: Array<[string, Record<string, string>]> = [
        ['nothing', {}],
        ['console transaction as bearer', { authorization: `Bearer ${consoleTx.id}` }],
        ['website transaction as bearer', { authorization: `Bearer ${websiteTx.id}` }],
        ['browser binding as bearer', { authorization: `Bearer ${binding}` }],
        ['password-change transaction as bearer', { authorization: `Bearer ${changeTx.id}` }],
        ['transaction as session cookie', { cookie: `twofold_session=${websiteTx.id}; twofold_tx=${binding}`, origin: ORIGIN }],
        ['binding as session cookie', { cookie: `twofold_session=${binding}`, origin: ORIGIN }],
      ];
      for (const op of operations) {
        for (const [name, headers] of credentials) {
          const response = await attempt(op, headers);
          assert.equal(response.statusCode, 401, `${op.method} ${op.url} with ${name}: ${response.body}`);
          expectProblem(response, 401, 'unauthenticated');
        }
      }
      // A real session passes the same guard (the refusals above are not a broken route).
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, factor.token)).statusCode, 200);

      // After the second factor: a new, different token; the transaction id still is not one.
      const done = await verify(t, consoleTx.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(done.statusCode, 200, done.body);
      const token = (done.json() as TransactionBody).session!.token!;
      assert.notEqual(token, consoleTx.id);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).statusCode, 200);
      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, consoleTx.id), 401, 'unauthenticated');
      assert.equal(await sessionCount(org.masterId), sessionsBefore + 1);
      // The completed transaction gives nothing more: no session in its view, and no second completion.
      const view = await call(t, 'GET', `/api/v1/transactions/${consoleTx.id}`);
      assert.equal(view.json().state, 'complete');
      assert.equal(view.json().session, undefined);
      expectProblem(await verify(t, consoleTx.id, factor.factorId, totpNow(t, factor.seed, 1)), 409, 'transaction_completed');
    });

    async function sessionCount(memberId: string): Promise<number> {
      const row = await t.ctx.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow();
      return Number(row.n);
    }
  });
}
