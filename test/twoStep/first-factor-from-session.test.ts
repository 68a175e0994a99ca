/**
 * docs/security.md S25: adding a factor needs a fully verified session. A member with no factor (reset
 * since their session verified one, or never required) has no method to verify again with, so they
 * verify with their password: the session alone, which may have been taken, never binds a first factor.
 * While a member has a factor, the password alone is not accepted for it. A reset of the member, or of
 * everyone by a change of primary method, makes an earlier verification stop counting.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { enrolTotp, totpNow } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`a first factor from a session on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const addTotp = (token: string) => call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, token);
    const reauthenticate = (token: string, body: object) => call(t, 'POST', '/api/v1/me/reauthentication', body, token);

    test('after a reset the session must give the password before it binds a factor', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const { token } = await enrolTotp(t, member.email);
      const reset = await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id] }, org.masterToken);
      assert.equal(reset.statusCode, 200, reset.body);

      expectProblem(await addTotp(token), 403, 'reauthentication_required');
      expectProblem(await reauthenticate(token, { password: 'Wrong-Horse-1' }), 401, 'invalid_credentials');
      expectProblem(await addTotp(token), 403, 'reauthentication_required');
      const again = await reauthenticate(token, { password: PASSWORD });
      assert.equal(again.statusCode, 200, again.body);
      const added = await addTotp(token);
      assert.equal(added.statusCode, 201, added.body);
    });

    test('after a change of primary method resets everyone, a verification from before no longer counts', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      // Signed in with a factor just now: a recent verification.
      const { token } = await enrolTotp(t, member.email);
      const saved = await call(t, 'PUT', '/api/v1/settings/two-step-verification', {
        masterAdministrators: false, administrators: false, technicians: 'all', primaryMethod: 'sms', allowedMethods: ['totp', 'sms', 'email'],
      }, org.masterToken);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().membersReset, 1);
      t.clock.advance(1);
      expectProblem(await addTotp(token), 403, 'reauthentication_required');
      assert.equal((await reauthenticate(token, { password: PASSWORD })).statusCode, 200);
      assert.equal((await addTotp(token)).statusCode, 201);
    });

    test('a member who was never required does the same', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, member.email);
      expectProblem(await addTotp(token), 403, 'reauthentication_required');
      assert.equal((await reauthenticate(token, { password: PASSWORD })).statusCode, 200);
      assert.equal((await addTotp(token)).statusCode, 201);
    });

    test('while the member has a factor, the password alone is refused', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const factor = await enrolTotp(t, member.email);
      // Past the ten minutes the sign-in's own verification counts for.
      t.clock.advance(11 * 60_000);
      expectProblem(await reauthenticate(factor.token, { password: PASSWORD }), 400, 'method_not_allowed');
      expectProblem(await addTotp(factor.token), 403, 'reauthentication_required');
      assert.equal((await reauthenticate(factor.token, { factorId: factor.factorId, code: totpNow(t, factor.seed) })).statusCode, 200);
      assert.equal((await addTotp(factor.token)).statusCode, 201);
    });

    test('wrong passwords here count with sign-in\'s: ten lock both', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, member.email);
      const answers = await Promise.all(Array.from({ length: 12 }, () => reauthenticate(token, { password: 'Wrong-Horse-1' })));
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [...Array(10).fill(401), 429, 429]);
      const refused = expectProblem(await reauthenticate(token, { password: PASSWORD }), 429, 'password_locked');
      assert.ok(Number(refused.retryAfterSeconds) > 0);
      expectProblem(await call(t, 'POST', '/api/v1/sign-in', { email: member.email, password: PASSWORD }), 429, 'password_locked');
    });
  });
}
