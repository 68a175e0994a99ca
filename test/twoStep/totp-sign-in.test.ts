/**
 * The whole TOTP path through the API: enforce for master administrators, set up at the next
 * sign-in, confirm, activate, then sign in with a code, on SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { totpCode, totpStepAt } from '../../src/methods/totp.ts';
import { call, consoleSignIn, createTestApp, engines, newOrganization, tokenFor, type TestApp } from '../support/harness.ts';

for (const engine of engines()) {
  describe(`TOTP sign-in on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('set up at the first required sign-in, then verify', async () => {
      const org = await newOrganization(t);
      const token = await tokenFor(t, org.email);
      const saved = await call(t, 'PUT', '/api/v1/settings/two-step-verification', {
        masterAdministrators: true, administrators: false, technicians: 'none', primaryMethod: 'totp', allowedMethods: ['totp', 'sms', 'email'],
      }, token);
      assert.equal(saved.statusCode, 200, saved.body);

      const first = await consoleSignIn(t, org.email);
      assert.equal(first.body.state, 'setup');
      assert.equal(first.body.session, undefined);
      assert.equal(first.body.setup?.primaryMethod, 'totp');

      const factor = await call(t, 'POST', `/api/v1/transactions/${first.body.id}/factors`, { type: 'totp' });
      assert.equal(factor.statusCode, 201, factor.body);
      const { id: factorId, otpauthUri } = factor.json() as { id: string; otpauthUri: string };
      const secret = new URL(otpauthUri).searchParams.get('secret')!;
      const seed = base32Decode(secret);

      const early = await call(t, 'POST', `/api/v1/transactions/${first.body.id}/activate`);
      assert.equal(early.json().code, 'primary_factor_required');

      const confirm = await call(t, 'POST', `/api/v1/transactions/${first.body.id}/factors/${factorId}/confirm`, {
        code: totpCode(seed, totpStepAt(t.clock.now())),
      });
      assert.equal(confirm.statusCode, 200, confirm.body);
      assert.equal(confirm.json().setup.confirmed, true);
      const activated = await call(t, 'POST', `/api/v1/transactions/${first.body.id}/activate`);
      assert.equal(activated.statusCode, 200, activated.body);
      assert.equal(activated.json().state, 'complete');
      assert.ok(activated.json().session.token);

      t.clock.advance(30_000);
      const second = await consoleSignIn(t, org.email);
      assert.equal(second.body.state, 'verify');
      assert.deepEqual(second.body.factors.map((f) => f.id), [factorId]);
      assert.equal(second.body.defaultFactorId, factorId);
      const verified = await call(t, 'POST', `/api/v1/transactions/${second.body.id}/verify`, {
        factorId, code: totpCode(seed, totpStepAt(t.clock.now())),
      });
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal(verified.json().state, 'complete');
      const me = await call(t, 'GET', '/api/v1/me', undefined, verified.json().session.token);
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().twoStepVerification.required, true);
      assert.equal(me.json().twoStepVerification.factors.length, 1);
    });
  });
}

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
