/**
 * The two-step verification report per technician group (docs/product-behaviour.md "Beyond the reference product"):
 * counts that match what sign-in will do, visibility by role, and a lock that administrators can see:
 * a factor locked after wrong codes or a password locked after wrong passwords, as the member search's
 * `locked` finds them.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { enrolTotp, signInExpecting, verify, wrongTotp } from './_factors.ts';
import { addGroup, addMember, assignGroup, expectProblem, organizationWith, saveSettings, verifiedSessionToken } from './_fixtures.ts';
import { PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS } from '../../src/services/signIn/passwordAttempts.ts';

const REPORT = '/api/v1/reports/two-step-verification';

interface Counts { members: number; required: number; setUp: number; requiredWithoutSetup: number; mustSetUpAgain: number; locked: number }
interface Report { totals: Counts; administrators: Counts | null; technicianGroups: Array<Counts & { id: string; name: string; enforceTwoStepVerification: boolean }>; nextCursor: string | null }

for (const engine of engines()) {
  describe(`two-step verification report on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('counts per group match who must use it, who has it set up and who is locked', async () => {
      const org = await organizationWith(t, { technicians: 'selected_groups' });
      const enforcing = await addGroup(t, org, true);
      const relaxed = await addGroup(t, org, false);
      const enrolled = await addMember(t, org, { technicianGroupId: enforcing });
      await addMember(t, org, { technicianGroupId: enforcing });
      await addMember(t, org, { technicianGroupId: relaxed });
      await addMember(t, org, { technicianGroupId: enforcing, enabled: false });
      const admin = await addMember(t, org, { role: 'administrator' });
      await assignGroup(t, admin.id, enforcing);
      const adminToken = await verifiedSessionToken(t, admin.email);
      await saveSettings(t, org.masterToken, { technicians: 'selected_groups', administrators: true });

      const factor = await enrolTotp(t, enrolled.email);
      for (let attempt = 0; attempt < 2; attempt++) {
        const tx = await signInExpecting(t, enrolled.email, 'verify');
        for (let i = 0; i < 5; i++) await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i + attempt * 5));
      }

      const report = (await call(t, 'GET', REPORT, undefined, org.masterToken)).json<Report>();
      const group = (id: string) => report.technicianGroups.find((g) => g.id === id);
      assert.deepEqual(strip(group(enforcing)), { members: 2, required: 2, setUp: 1, requiredWithoutSetup: 1, mustSetUpAgain: 0, locked: 1 });
      assert.deepEqual(strip(group(relaxed)), { members: 1, required: 0, setUp: 0, requiredWithoutSetup: 0, mustSetUpAgain: 0, locked: 0 });
      // The master administrator (not required) and the administrator (required, not set up).
      assert.deepEqual(report.administrators, { members: 2, required: 1, setUp: 0, requiredWithoutSetup: 1, mustSetUpAgain: 0, locked: 0 });
      assert.deepEqual(report.totals, { members: 5, required: 3, setUp: 1, requiredWithoutSetup: 2, mustSetUpAgain: 0, locked: 1 });

      // An administrator sees only the groups assigned to them, and no administrators' counts.
      const adminView = (await call(t, 'GET', REPORT, undefined, adminToken)).json<Report>();
      assert.deepEqual(adminView.technicianGroups.map((g) => g.id), [enforcing]);
      assert.equal(adminView.administrators, null);
      assert.equal(adminView.totals.members, 2);
    });

    test('with limit the groups come a page at a time, by name, each page with the whole organization\'s totals', async () => {
      const org = await organizationWith(t);
      const names = ['Delta', 'alpha', 'Charlie', 'Bravo', 'Echo', 'Bravo'];
      const ids: string[] = [];
      for (const [index, name] of names.entries()) {
        const id = await addGroup(t, org);
        // Two groups may share a name under different parents: the id orders them.
        await t.ctx.db.updateTable('technician_groups').set({ name, parent_id: index === 5 ? ids[0]! : null }).where('id', '=', id).execute();
        ids.push(id);
        await addMember(t, org, { technicianGroupId: id });
      }
      const whole = (await call(t, 'GET', REPORT, undefined, org.masterToken)).json<Report>();
      assert.equal(whole.technicianGroups.length, 6, 'without limit, every group as before');
      assert.equal(whole.nextCursor, null);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await call(t, 'GET', `${REPORT}?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, org.masterToken);
        assert.equal(response.statusCode, 200, response.body);
        const page = response.json<Report>();
        assert.ok(page.technicianGroups.length <= 4);
        assert.deepEqual(page.totals, whole.totals, 'the totals are the organization\'s on every page');
        seen.push(...page.technicianGroups.map((g) => g.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 5);
      assert.equal(pages, 2);
      const byName = [...whole.technicianGroups].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
      assert.deepEqual(seen, byName.map((g) => g.id), 'each group once, by name then id');

      expectProblem(await call(t, 'GET', `${REPORT}?limit=0`, undefined, org.masterToken), 400, 'validation_failed');
      expectProblem(await call(t, 'GET', `${REPORT}?limit=2&cursor=nonsense`, undefined, org.masterToken), 400, 'validation_failed');
    });

    test('a password locked by wrong passwords counts as locked, once for a member whose factor is locked too, as the member search finds them', async () => {
      const org = await organizationWith(t, { technicians: 'selected_groups' });
      const enforcing = await addGroup(t, org, true);
      const byPassword = await addMember(t, org, { technicianGroupId: enforcing });
      const both = await addMember(t, org, { technicianGroupId: enforcing });
      await addMember(t, org, { technicianGroupId: enforcing });
      const disabled = await addMember(t, org, { technicianGroupId: enforcing });
      const admin = await addMember(t, org, { role: 'administrator' });
      const bothFactor = await enrolTotp(t, both.email);
      await t.ctx.db.updateTable('factors').set({ locked_until: t.clock.now().getTime() + 3_600_000 }).where('id', '=', bothFactor.factorId).execute();
      for (const member of [byPassword, both, disabled, admin]) {
        for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++) {
          const answer = await call(t, 'POST', '/api/v1/sign-in', { email: member.email, password: 'Wrong-Horse-1' });
          assert.equal(answer.statusCode, 401, answer.body);
        }
      }
      await t.ctx.db.updateTable('members').set({ enabled: 0 }).where('id', '=', disabled.id).execute();

      const locked = async () => {
        const report = (await call(t, 'GET', REPORT, undefined, org.masterToken)).json<Report>();
        return { group: report.technicianGroups.find((g) => g.id === enforcing)!.locked, administrators: report.administrators!.locked, totals: report.totals.locked };
      };
      const searched = async () => {
        const response = await call(t, 'GET', '/api/v1/members?twoStepState=locked&limit=100', undefined, org.masterToken);
        assert.equal(response.statusCode, 200, response.body);
        return response.json<{ items: Array<{ id: string; enabled: boolean }> }>().items.filter((m) => m.enabled).map((m) => m.id).sort();
      };
      // The disabled member is not counted, as in every count of the report.
      assert.deepEqual(await locked(), { group: 2, administrators: 1, totals: 3 });
      assert.deepEqual(await searched(), [byPassword.id, both.id, admin.id].sort());
      // The password locks slide away with their oldest wrong password; the factor's lock stays.
      t.clock.advance(PASSWORD_FAILURE_WINDOW_MS);
      assert.deepEqual(await locked(), { group: 1, administrators: 0, totals: 1 });
      assert.deepEqual(await searched(), [both.id]);
    });

    test('technicians may not read it', async () => {
      const org = await organizationWith(t);
      const technician = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      expectProblem(await call(t, 'GET', REPORT, undefined, await tokenFor(t, technician.email)), 403, 'forbidden');
      expectProblem(await call(t, 'GET', REPORT), 401, 'unauthenticated');
    });
  });
}

function strip(group: Counts | undefined): Counts {
  assert.ok(group, 'the group is in the report');
  const { members, required, setUp, requiredWithoutSetup, mustSetUpAgain, locked } = group;
  return { members, required, setUp, requiredWithoutSetup, mustSetUpAgain, locked };
}
