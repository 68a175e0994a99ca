/**
 * Saving Global Settings that now cover the saver does not sign them out without a word: the preview
 * says they are affected, and their password-only session answers 403 `two_step_setup_required`
 * (not 401) until they set two-step verification up from it, with the password given again, through
 * the same set-up a sign-in walks; Activate's session replaces the held one.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, tokenFor, type TestApp, type TransactionBody } from '../support/harness.ts';
import { activate, bindTotp, confirm, totpNow } from './_factors.ts';
import { DEFAULT_SETTINGS, SETTINGS_URL, addGroup, addMember, expectProblem, organizationWith, saveSettings } from './_fixtures.ts';
import { PASSWORD_FAILURE_LIMIT } from '../../src/services/signIn/passwordAttempts.ts';
import { leaveOnlySms } from './_switchedOff.ts';

const SETUP_URL = '/api/v1/me/two-step-setup';

for (const engine of engines()) {
  describe(`setting up from a session held for set-up on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('a master administrator ticks master administrators, is told, is sent to set-up, and is back in', async () => {
      const org = await organizationWith(t);
      // Signed in with the password alone: nobody had to use two-step verification yet.
      const token = await tokenFor(t, org.email);
      const next = { ...DEFAULT_SETTINGS, masterAdministrators: true };

      const preview = await call(t, 'POST', `${SETTINGS_URL}/preview`, next, token);
      assert.equal(preview.statusCode, 200, preview.body);
      assert.deepEqual(
        [preview.json().saverAffected, preview.json().saverMustSetUp, preview.json().saverSessionToSetUp], [true, true, true]);
      assert.equal((await call(t, 'PUT', SETTINGS_URL, next, token)).statusCode, 200);

      expectProblem(await call(t, 'GET', '/api/v1/members', undefined, token), 403, 'two_step_setup_required');
      expectProblem(await call(t, 'GET', SETTINGS_URL, undefined, token), 403, 'two_step_setup_required');
      expectProblem(await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, token), 403, 'two_step_setup_required');
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).statusCode, 200, 'who is signed in can still be read');

      expectProblem(await call(t, 'POST', SETUP_URL, { password: 'Not-The-Password-1' }, token), 401, 'invalid_credentials');
      const started = await call(t, 'POST', SETUP_URL, { password: PASSWORD }, token);
      assert.equal(started.statusCode, 200, started.body);
      const tx = started.json() as TransactionBody & { setup: { next: string } };
      assert.equal(tx.state, 'setup');
      assert.equal(tx.setup.next, 'totp');
      const pending = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      const done = await activate(t, tx.id);
      const upgraded = done.session!.token!;

      assert.equal((await call(t, 'GET', '/api/v1/members', undefined, upgraded)).statusCode, 200, 'back in');
      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, token), 401, 'unauthenticated');
    });

    test('the preview tells a saver whose only method is being switched off that they must set up again', async () => {
      const org = await organizationWith(t, { masterAdministrators: true });
      await leaveOnlySms(t, { id: org.masterId, email: org.email, password: PASSWORD });
      await saveSettings(t, org.masterToken, { masterAdministrators: false });
      // Signed in with the password alone; their one factor is a text message one.
      const token = await tokenFor(t, org.email);
      const next = { ...DEFAULT_SETTINGS, masterAdministrators: true, allowedMethods: ['totp', 'email'] };
      const preview = await call(t, 'POST', `${SETTINGS_URL}/preview`, next, token);
      assert.equal(preview.statusCode, 200, preview.body);
      const body = preview.json();
      assert.equal(body.membersMustSetUpAgain, 1);
      assert.deepEqual([body.saverAffected, body.saverMustSetUp, body.saverSessionToSetUp], [true, true, true]);
      // With text messages still allowed, their factor stays usable: nothing to set up.
      const kept = (await call(t, 'POST', `${SETTINGS_URL}/preview`, { ...next, allowedMethods: ['totp', 'sms'] }, token)).json();
      assert.deepEqual([kept.membersMustSetUpAgain, kept.saverAffected, kept.saverMustSetUp], [0, false, false]);
    });

    test('the held session stays held when the rule is lifted again, and starts a set-up only while held', async () => {
      const org = await organizationWith(t);
      const technician = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, technician.email);
      expectProblem(await call(t, 'POST', SETUP_URL, { password: PASSWORD }, token), 409, 'conflict');
      const put = async (technicians: 'all' | 'none') =>
        assert.equal((await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, technicians }, org.masterToken)).statusCode, 200);
      await put('all');
      expectProblem(await call(t, 'GET', '/api/v1/me/factors', undefined, token), 403, 'two_step_setup_required');
      await put('none');
      expectProblem(await call(t, 'GET', '/api/v1/me/factors', undefined, token), 403, 'two_step_setup_required');
    });

    test('a locked password refuses the set-up as it refuses a sign-in: 429 password_locked with Retry-After', async () => {
      const org = await organizationWith(t);
      const technician = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, technician.email);
      assert.equal((await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, technicians: 'all' }, org.masterToken)).statusCode, 200);
      for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++) {
        expectProblem(await call(t, 'POST', SETUP_URL, { password: 'Not-The-Password-1' }, token), 401, 'invalid_credentials');
      }
      const refused = await call(t, 'POST', SETUP_URL, { password: PASSWORD }, token);
      const body = expectProblem(refused, 429, 'password_locked');
      assert.equal(refused.headers['retry-after'], String(body.retryAfterSeconds));
      assert.ok(Number(body.retryAfterSeconds) > 0);
      expectProblem(await call(t, 'POST', '/api/v1/sign-in', { email: technician.email, password: PASSWORD }), 429, 'password_locked');
    });

    test('a pending setup code holds the set-up from a session back as it holds a sign-in\'s', async () => {
      const org = await organizationWith(t);
      const technician = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, technician.email);
      assert.equal((await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, technicians: 'all' }, org.masterToken)).statusCode, 200);
      assert.equal((await call(t, 'POST', `/api/v1/members/${technician.id}/setup-code`, undefined, org.masterToken)).statusCode, 201);
      const started = await call(t, 'POST', SETUP_URL, { password: PASSWORD }, token);
      assert.equal(started.statusCode, 200, started.body);
      const tx = started.json() as TransactionBody & { setup: { setupCodeRequired: boolean } };
      assert.equal(tx.setup.setupCodeRequired, true);
      const pending = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`), 403, 'setup_code_required');
    });
  });
}
