/**
 * "Must set up again": members required to use two-step verification whose factors are all of a method
 * the organization has switched off. The settings preview counts them before saving, the report counts
 * them per group, and the member's record says so; they are not counted as set up, since their next
 * sign-in sets an allowed method up.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { enrolTotp } from './_factors.ts';
import { addGroup, addMember, organizationWith, saveSettings, SETTINGS_URL, DEFAULT_SETTINGS, type SettingsBody } from './_fixtures.ts';
import { smsOnlyMember } from './_switchedOff.ts';

interface Status { required: boolean; setUp: boolean; mustSetUpAgain: boolean; factors: Array<{ type: string; methodAllowed: boolean }> }

for (const engine of engines()) {
  describe(`members who must set up again on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function organization() {
      const org = await organizationWith(t, { technicians: 'all' });
      const group = await addGroup(t, org);
      const smsOnly = await smsOnlyMember(t, org, { technicianGroupId: group });
      const withApp = await addMember(t, org, { technicianGroupId: group });
      await enrolTotp(t, withApp.email);
      const never = await addMember(t, org, { technicianGroupId: group });
      return { org, group, smsOnly, withApp, never };
    }

    test('the preview counts the members a change of allowed methods sends to set up again', async () => {
      const { org } = await organization();
      const preview = async (changes: Partial<SettingsBody>) => {
        const response = await call(t, 'POST', `${SETTINGS_URL}/preview`, { ...DEFAULT_SETTINGS, technicians: 'all', ...changes }, org.masterToken);
        assert.equal(response.statusCode, 200, response.body);
        // The counts; the saver's part and the reset list have tests of their own.
        const { membersRequired, membersReset, membersToSetUp, membersMustSetUpAgain } = response.json() as Record<string, number>;
        return { membersRequired, membersReset, membersToSetUp, membersMustSetUpAgain };
      };
      assert.deepEqual(await preview({}), { membersRequired: 3, membersReset: 0, membersToSetUp: 1, membersMustSetUpAgain: 0 });
      assert.deepEqual(await preview({ allowedMethods: ['totp', 'email'] }), { membersRequired: 3, membersReset: 0, membersToSetUp: 2, membersMustSetUpAgain: 1 });
      // A new primary method resets everyone instead: nobody "sets up again", all set up anew.
      assert.deepEqual(await preview({ primaryMethod: 'email', allowedMethods: ['email'] }), { membersRequired: 3, membersReset: 2, membersToSetUp: 3, membersMustSetUpAgain: 0 });
    });

    test('the report and the member\'s record show them, not as set up', async () => {
      const { org, group, smsOnly, withApp, never } = await organization();
      await saveSettings(t, org.masterToken, { technicians: 'all', allowedMethods: ['totp', 'email'] });

      const report = (await call(t, 'GET', '/api/v1/reports/two-step-verification', undefined, org.masterToken)).json() as {
        totals: Record<string, number>; technicianGroups: Array<Record<string, unknown>>;
      };
      const counts = { required: 3, setUp: 1, requiredWithoutSetup: 2, mustSetUpAgain: 1, locked: 0 };
      assert.deepEqual(report.totals, { members: 4, ...counts });
      const { id, members, required, setUp, requiredWithoutSetup, mustSetUpAgain, locked } = report.technicianGroups.find((g) => g.id === group)!;
      assert.deepEqual({ id, members, required, setUp, requiredWithoutSetup, mustSetUpAgain, locked }, { id: group, members: 3, ...counts });

      const status = async (memberId: string) =>
        ((await call(t, 'GET', `/api/v1/members/${memberId}`, undefined, org.masterToken)).json() as { twoStepVerification: Status }).twoStepVerification;
      const again = await status(smsOnly.id);
      assert.deepEqual([again.required, again.setUp, again.mustSetUpAgain], [true, false, true]);
      assert.deepEqual(again.factors.map((f) => [f.type, f.methodAllowed]), [['sms', false]]);
      const app = await status(withApp.id);
      assert.deepEqual([app.setUp, app.mustSetUpAgain], [true, false]);
      assert.deepEqual(app.factors.map((f) => [f.type, f.methodAllowed]), [['totp', true]]);
      const none = await status(never.id);
      assert.deepEqual([none.setUp, none.mustSetUpAgain], [false, false]);

      // Once nobody must use it, the member is no longer "must set up again".
      await saveSettings(t, org.masterToken, { technicians: 'none', allowedMethods: ['totp', 'email'] });
      assert.equal((await status(smsOnly.id)).mustSetUpAgain, false);
      // The member sees it on their own factors too (they need not use it now, so they sign in).
      const mine = (await call(t, 'GET', '/api/v1/me/factors', undefined, await tokenFor(t, smsOnly.email))).json() as Status;
      assert.deepEqual(mine.factors.map((f) => [f.type, f.methodAllowed]), [['sms', false]]);
    });
  });
}
