/**
 * Rule: who must use two-step verification (docs/product-behaviour.md G1, G3
 * and G4), on every way in: the website, the Technician Console and the password change
 * (docs/security.md S27: "for members who must use two-step verification, a fresh second factor").
 * A member who must use it and has nothing set up goes to `setup`; one who need not completes with
 * the password alone, and changes the password with 204 instead of a 202 transaction.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { addGroup, addMember, expectProblem, organizationWith, saveSettings, type SettingsBody } from './_fixtures.ts';

type Who = 'master' | 'administrator' | 'technician' | 'administrator+technician';
interface Case {
  readonly who: Who;
  readonly groupEnforces?: boolean;
  readonly settings: Partial<SettingsBody>;
  readonly required: boolean;
}

const CASES: Case[] = [
  { who: 'master', settings: { masterAdministrators: true }, required: true },
  { who: 'master', settings: { administrators: true, technicians: 'all' }, required: false },
  { who: 'administrator', settings: { administrators: true }, required: true },
  { who: 'administrator', settings: { masterAdministrators: true, technicians: 'all' }, required: false },
  { who: 'technician', settings: { technicians: 'all' }, required: true },
  { who: 'technician', settings: { masterAdministrators: true, administrators: true }, required: false },
  { who: 'technician', groupEnforces: true, settings: { technicians: 'selected_groups' }, required: true },
  { who: 'technician', groupEnforces: false, settings: { technicians: 'selected_groups' }, required: false },
  { who: 'technician', groupEnforces: true, settings: { technicians: 'none' }, required: false },
  // docs/product-behaviour.md G3: both licenses, required if the setting applies in either role.
  { who: 'administrator+technician', settings: { administrators: true }, required: true },
  { who: 'administrator+technician', settings: { technicians: 'all' }, required: true },
  { who: 'administrator+technician', groupEnforces: true, settings: { technicians: 'selected_groups' }, required: true },
  { who: 'administrator+technician', groupEnforces: false, settings: { technicians: 'selected_groups' }, required: false },
  { who: 'administrator+technician', settings: { masterAdministrators: true }, required: false },
];

const describeCase = (c: Case): string =>
  `${c.who}${c.groupEnforces === undefined ? '' : c.groupEnforces ? ' (group enforces)' : ' (group does not enforce)'} with ${JSON.stringify(c.settings)}: ${c.required ? 'required' : 'not required'}`;

for (const engine of engines()) {
  describe(`who must use two-step verification on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    for (const c of CASES) {
      test(describeCase(c), async () => {
        const org = await organizationWith(t);
        const group = await addGroup(t, org, c.groupEnforces ?? false);
        const email = c.who === 'master' ? org.email : (await addMember(t, org, {
          role: c.who === 'technician' ? null : 'administrator',
          technicianGroupId: c.who === 'administrator' ? null : group,
        })).email;
        // A session from before the settings changed, which passed the password alone.
        const session = await tokenFor(t, email);
        await saveSettings(t, org.masterToken, c.settings);
        const expected = c.required ? 'setup' : 'complete';

        const website = await call(t, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: { kind: 'website' } });
        assert.equal(website.statusCode, 200, website.body);
        assert.equal(website.json().state, expected, 'website');

        for (const version of [undefined, '7.50.3572', '7.100.0']) {
          const console = await call(t, 'POST', '/api/v1/sign-in', {
            email, password: PASSWORD, client: { kind: 'technician-console', ...(version ? { version } : {}) },
          });
          assert.equal(console.statusCode, 200, console.body);
          assert.equal(console.json().state, expected, `console ${version ?? '(no version)'}`);
          assert.equal(console.json().session !== undefined, !c.required, 'a session only when nothing more is required');
        }

        const change = await call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'Another-Horse-42' }, session);
        if (c.required) {
          // Once two-step verification applies, a session that passed the password alone is held
          // (docs/security.md S19): nothing, not even a password change, goes through it but the set-up.
          expectProblem(change, 403, 'two_step_setup_required');
          assert.equal((await call(t, 'GET', '/api/v1/me', undefined, session)).json().twoStepVerification.required, true);
          const old = await call(t, 'POST', '/api/v1/sign-in', { email, password: PASSWORD });
          assert.equal(old.statusCode, 200, old.body);
        } else {
          assert.equal(change.statusCode, 204, change.body);
        }
      });
    }

    test('the member record says whether it is required', async () => {
      const org = await organizationWith(t);
      const group = await addGroup(t, org, true);
      const technician = await addMember(t, org, { technicianGroupId: group });
      const token = await tokenFor(t, technician.email);
      const before = await call(t, 'GET', '/api/v1/me', undefined, token);
      assert.deepEqual(before.json().twoStepVerification, { required: false, setUp: false, mustSetUpAgain: false, factors: [], locked: false });
      await saveSettings(t, org.masterToken, { technicians: 'selected_groups' });
      // The administrator's view of the member says so, and so does the member's own, from the
      // password-only session that is now held for set-up.
      const record = await call(t, 'GET', `/api/v1/members/${technician.id}`, undefined, org.masterToken);
      assert.equal(record.statusCode, 200, record.body);
      assert.equal(record.json().twoStepVerification.required, true);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).json().twoStepVerification.required, true);
      expectProblem(await call(t, 'GET', '/api/v1/me/factors', undefined, token), 403, 'two_step_setup_required');
    });
  });
}
