/**
 * Rule: changing the primary method resets two-step verification for every member of the
 * organization (docs/product-behaviour.md G2): each member with factors sets it up
 * again at the next sign-in, PUT answers `membersReset`, and the preview answers, before saving,
 * `membersRequired` and `membersReset` exactly as saving then behaves. Other changes reset nobody.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, consoleSignIn, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { enrolTotp, signInExpecting, signInWithTotp } from './_factors.ts';
import { DEFAULT_SETTINGS, SETTINGS_URL, addGroup, addMember, organizationWith, saveSettings, setMemberEnabled, type SettingsBody } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`changing the primary method on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    /**
     * An organization where administrators and all technicians must use two-step verification, with
     * some members set up and some not, one of them disabled.
     */
    async function populated() {
      const org = await organizationWith(t, { administrators: true, technicians: 'all' });
      const enforcing = await addGroup(t, org, true);
      const relaxed = await addGroup(t, org, false);
      const members = {
        adminSetUp: await addMember(t, org, { role: 'administrator' }),
        adminNotSetUp: await addMember(t, org, { role: 'administrator' }),
        techEnforcingSetUp: await addMember(t, org, { technicianGroupId: enforcing }),
        techEnforcingNotSetUp: await addMember(t, org, { technicianGroupId: enforcing }),
        techRelaxedSetUp: await addMember(t, org, { technicianGroupId: relaxed }),
        disabledSetUp: await addMember(t, org, { role: 'administrator' }),
      };
      const factors = {
        adminSetUp: await enrolTotp(t, members.adminSetUp.email),
        techEnforcingSetUp: await enrolTotp(t, members.techEnforcingSetUp.email),
        techRelaxedSetUp: await enrolTotp(t, members.techRelaxedSetUp.email),
      };
      await enrolTotp(t, members.disabledSetUp.email);
      await setMemberEnabled(t, members.disabledSetUp.id, false);
      return { org, members, factors };
    }

    const preview = async (token: string, settings: SettingsBody) => {
      const response = await call(t, 'POST', `${SETTINGS_URL}/preview`, settings, token);
      assert.equal(response.statusCode, 200, response.body);
      const { membersRequired, membersReset, membersToSetUp, membersMustSetUpAgain } = response.json() as Record<string, number>;
      return { membersRequired, membersReset, membersToSetUp, membersMustSetUpAgain };
    };

    /** The state each (enabled) member's next console sign-in starts in. */
    async function nextStates(emails: string[]): Promise<string[]> {
      const states: string[] = [];
      for (const email of emails) states.push((await consoleSignIn(t, email, PASSWORD)).body.state);
      return states;
    }

    test('the preview counts what saving then does: who is required, who is reset', async () => {
      const { org, members } = await populated();
      const next: SettingsBody = { ...DEFAULT_SETTINGS, masterAdministrators: true, administrators: true, technicians: 'selected_groups', primaryMethod: 'sms' };
      const counted = await preview(org.masterToken, next);
      // Required: the master, both enabled administrators, both technicians of the enforcing group.
      // Reset: the three enabled members with factors (the disabled one does not count).
      assert.deepEqual(counted, { membersRequired: 5, membersReset: 3, membersToSetUp: 5, membersMustSetUpAgain: 0 });
      assert.deepEqual(await preview(org.masterToken, next), counted, 'previewing saves nothing');

      const saved = await saveSettings(t, org.masterToken, next);
      assert.equal(saved.membersReset, counted.membersReset);
      const emails = [org.email, ...Object.values(members).filter((m) => m !== members.disabledSetUp).map((m) => m.email)];
      const states = await nextStates(emails);
      assert.equal(states.filter((s) => s !== 'complete').length, counted.membersRequired);
      assert.equal(states.filter((s) => s === 'setup').length, counted.membersToSetUp);
      // The technician of the relaxed group had factors but is no longer required.
      assert.equal(states[emails.indexOf(members.techRelaxedSetUp.email)], 'complete');

      const setup = await signInExpecting(t, members.adminSetUp.email, 'setup');
      assert.equal(setup.setup?.primaryMethod, 'sms', 'they set up the new primary method');
      assert.deepEqual(setup.factors, [], 'old factors are gone from the sign-in');
    });

    test('a change that keeps the primary method resets nobody, and the preview says so', async () => {
      const { org, members, factors } = await populated();
      const next: SettingsBody = { ...DEFAULT_SETTINGS, administrators: true, technicians: 'selected_groups', allowedMethods: ['totp', 'sms'] };
      assert.deepEqual(await preview(org.masterToken, next), { membersRequired: 4, membersReset: 0, membersToSetUp: 2, membersMustSetUpAgain: 0 });
      assert.equal((await saveSettings(t, org.masterToken, next)).membersReset, 0);
      // Their factors still work.
      await signInWithTotp(t, members.adminSetUp.email, factors.adminSetUp);
      await signInWithTotp(t, members.techEnforcingSetUp.email, factors.techEnforcingSetUp);
      await signInExpecting(t, members.adminNotSetUp.email, 'setup');
    });

    test('changing the primary method and back does not bring old factors back', async () => {
      const { org, members } = await populated();
      const base: SettingsBody = { ...DEFAULT_SETTINGS, administrators: true, technicians: 'all' };
      assert.equal((await saveSettings(t, org.masterToken, { ...base, primaryMethod: 'email' })).membersReset, 3);
      assert.equal((await saveSettings(t, org.masterToken, { ...base, primaryMethod: 'totp' })).membersReset, 0);
      await signInExpecting(t, members.adminSetUp.email, 'setup');
      await signInExpecting(t, members.techEnforcingSetUp.email, 'setup');
    });

    test('members reset set the new primary method up at their next sign-in on the website too', async () => {
      const { org, members } = await populated();
      await saveSettings(t, org.masterToken, { ...DEFAULT_SETTINGS, administrators: true, technicians: 'all', primaryMethod: 'sms' });
      const website = await call(t, 'POST', '/api/v1/sign-in', { email: members.techEnforcingSetUp.email, password: PASSWORD, client: { kind: 'website' } });
      assert.equal(website.json().state, 'setup');
      assert.equal(website.json().setup.primaryMethod, 'sms');
    });
  });
}
