/**
 * The member reports: two-step verification status per member (a keyset page on screen, every row as
 * CSV), filtered by group with its subgroups, role and state, within the caller's reach and safe to
 * open in a spreadsheet, `locked` as the member search finds it (a factor or the password); and the
 * Administrator status report.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../src/crypto/tokens.ts';
import { call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { addGroup, addMember, assignGroup, expectProblem, organizationWith, type MemberFixture, type OrgWithAdmin } from './_fixtures.ts';
import { PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS } from '../../src/services/signIn/passwordAttempts.ts';

interface Row { id: string; name: string; email: string; role: string; groupPath: Array<{ id: string; name: string }>; required: boolean; setUp: boolean; mustSetUpAgain: boolean; locked: boolean; enabled: boolean }
interface RowPage { items: Row[]; nextCursor: string | null }

for (const engine of engines()) {
  describe(`member reports on ${engine}`, () => {
    let t: TestApp;
    let org: OrgWithAdmin;
    let parent: string;
    let child: string;
    let other: string;
    let inChild: MemberFixture;
    let inOther: MemberFixture;
    let withFactor: MemberFixture;
    let admin: MemberFixture;
    let adminToken: string;
    let techToken: string;
    let tech: MemberFixture;

    const bindFactor = async (memberId: string, type: string, lockedUntil: number | null = null) => {
      const { two_step_epoch: epoch } = await t.ctx.db.selectFrom('organizations').select('two_step_epoch').where('id', '=', org.organizationId).executeTakeFirstOrThrow();
      const now = t.clock.now().getTime();
      await t.ctx.db.insertInto('factors').values({
        id: newId(), organization_id: org.organizationId, member_id: memberId, type, label: type, epoch, active: 1, secret: null, destination: null,
        last_step: null, failures: 0, locked_until: lockedUntil, locked_until_reset: 0, setup_transaction_id: null, created_at: now, confirmed_at: now,
      }).execute();
    };

    before(async () => {
      t = await createTestApp({ engine });
      org = await organizationWith(t, { technicians: 'selected_groups', allowedMethods: ['totp', 'sms'] });
      parent = await addGroup(t, org, false);
      child = await addGroup(t, org, true, parent);
      other = await addGroup(t, org, true);
      inChild = await addMember(t, org, { technicianGroupId: child, label: 'child' });
      inOther = await addMember(t, org, { technicianGroupId: other, label: 'other' });
      withFactor = await addMember(t, org, { technicianGroupId: child, label: 'factor' });
      await t.ctx.db.updateTable('members').set({ name: '=HYPERLINK("http://evil.test")' }).where('id', '=', inChild.id).execute();
      await bindFactor(withFactor.id, 'totp', t.clock.now().getTime() + 3_600_000);
      // Set up once with email, which the organization no longer allows: must set up again.
      await bindFactor(inOther.id, 'email');
      admin = await addMember(t, org, { role: 'administrator', label: 'admin' });
      await assignGroup(t, admin.id, parent);
      await t.ctx.db.updateTable('members').set({ last_sign_in_at: Date.parse('2026-05-01T08:00:00Z') }).where('id', '=', admin.id).execute();
      tech = await addMember(t, org, { technicianGroupId: parent, label: 'tech' });
      adminToken = await tokenFor(t, admin.email);
      techToken = await tokenFor(t, tech.email);
    });
    after(async () => { await t.close(); });

    const page = async (query: string, token = org.masterToken): Promise<RowPage> => {
      const response = await call(t, 'GET', `/api/v1/reports/two-step-verification/members${query}`, undefined, token);
      assert.equal(response.statusCode, 200, response.body);
      return response.json<RowPage>();
    };

    test('every member the caller may see, page by page, with required, set up, must set up again and locked', async () => {
      const all: Row[] = [];
      for (let cursor: string | null = ''; cursor !== null;) {
        const next: RowPage = await page(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        all.push(...next.items);
        cursor = next.nextCursor;
      }
      assert.equal(all.length, 6); // the master, five members
      const byId = new Map(all.map((r) => [r.id, r]));
      assert.deepEqual(
        [byId.get(inChild.id), byId.get(withFactor.id), byId.get(inOther.id)].map((r) => [r!.required, r!.setUp, r!.mustSetUpAgain, r!.locked]),
        // Set up as the member's record says it: a factor of a method still allowed; a member whose only
        // method was switched off must set up again and is not set up.
        [[true, false, false, false], [true, true, false, true], [true, false, true, false]],
      );
      assert.deepEqual(byId.get(inChild.id)!.groupPath.map((g) => g.id), [parent, child]);
      assert.equal(byId.get(admin.id)!.role, 'administrator');
    });

    test('filters: a group with its subgroups, role, and state', async () => {
      assert.deepEqual((await page(`?technicianGroupId=${parent}`)).items.map((r) => r.id).sort(), [inChild.id, withFactor.id, tech.id].sort());
      assert.deepEqual((await page(`?technicianGroupId=${child}`)).items.map((r) => r.id).sort(), [inChild.id, withFactor.id].sort());
      assert.deepEqual((await page('?role=administrator')).items.map((r) => r.id), [admin.id]);
      assert.deepEqual((await page('?state=required_not_set_up')).items.map((r) => r.id).sort(), [inChild.id, inOther.id].sort());
      assert.deepEqual((await page('?state=must_set_up_again')).items.map((r) => r.id), [inOther.id]);
      assert.deepEqual((await page('?state=locked')).items.map((r) => r.id), [withFactor.id]);
      assert.deepEqual((await page('?state=set_up')).items.map((r) => r.id), [withFactor.id]);
      const onePerPage = await page('?state=required_not_set_up&limit=1');
      assert.equal(onePerPage.items.length, 1);
      const rest = await page(`?state=required_not_set_up&limit=1&cursor=${onePerPage.nextCursor}`);
      assert.deepEqual([...onePerPage.items, ...rest.items].map((r) => r.id).sort(), [inChild.id, inOther.id].sort());
      assert.equal(rest.nextCursor, null);
    });

    test('an administrator sees the members of their groups only; technicians see nothing; bad filters are refused', async () => {
      const mine = (await page('', adminToken)).items.map((r) => r.id);
      assert.ok(mine.includes(inChild.id) && mine.includes(withFactor.id));
      assert.ok(!mine.includes(inOther.id));
      expectProblem(await call(t, 'GET', `/api/v1/reports/two-step-verification/members?technicianGroupId=${other}`, undefined, adminToken), 404, 'not_found');
      expectProblem(await call(t, 'GET', '/api/v1/reports/two-step-verification/members', undefined, techToken), 403, 'forbidden');
      expectProblem(await call(t, 'GET', '/api/v1/reports/two-step-verification/members?format=csv', undefined, techToken), 403, 'forbidden');
      for (const query of ['?state=sleepy', '?role=owner', '?format=xml', '?limit=201', '?cursor=bogus']) {
        expectProblem(await call(t, 'GET', `/api/v1/reports/two-step-verification/members${query}`, undefined, org.masterToken), 400, 'validation_failed');
      }
    });

    test('the CSV download: every row, as an attachment, formulas kept as text', async () => {
      const response = await call(t, 'GET', '/api/v1/reports/two-step-verification/members?format=csv', undefined, org.masterToken);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      assert.match(String(response.headers['content-disposition']), /^attachment; filename="two-step-verification\.csv"$/);
      const lines = response.body.trimEnd().split('\r\n');
      assert.equal(lines[0], '"Name","Email","Role","Technician group","Enabled","Required","Set up","Must set up again","Locked"');
      assert.equal(lines.length, 7);
      const evil = lines.find((l) => l.includes(inChild.email))!;
      assert.ok(evil.startsWith('"\'=HYPERLINK(""http://evil.test"")",'), evil);
      assert.ok(evil.endsWith('"yes","yes","no","no","no"'), evil);
      const filtered = await call(t, 'GET', '/api/v1/reports/two-step-verification/members?format=csv&state=locked', undefined, org.masterToken);
      assert.equal(filtered.body.trimEnd().split('\r\n').length, 2);
    });

    test('a member whose password is locked after wrong passwords is locked in the report and its CSV, as in the member search, until the lock ends', async () => {
      for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++) {
        const answer = await call(t, 'POST', '/api/v1/sign-in', { email: tech.email, password: 'Wrong-Horse-1' });
        assert.equal(answer.statusCode, 401, answer.body);
      }
      const lockedInSearch = async () => {
        const response = await call(t, 'GET', '/api/v1/members?twoStepState=locked&limit=100', undefined, org.masterToken);
        return response.json<{ items: Array<{ id: string }> }>().items.map((m) => m.id).sort();
      };
      const csvLockedCell = async () => {
        const csv = await call(t, 'GET', '/api/v1/reports/two-step-verification/members?format=csv', undefined, org.masterToken);
        return csv.body.split('\r\n').find((line) => line.includes(tech.email))!.split(',').at(-1);
      };
      assert.deepEqual((await page('?state=locked')).items.map((r) => r.id).sort(), [withFactor.id, tech.id].sort());
      assert.deepEqual(await lockedInSearch(), [withFactor.id, tech.id].sort());
      assert.equal((await page('?state=locked', adminToken)).items.some((r) => r.id === tech.id), true, 'in the administrator\'s groups');
      assert.equal(await csvLockedCell(), '"yes"');

      t.clock.advance(PASSWORD_FAILURE_WINDOW_MS);
      assert.deepEqual((await page('?state=locked')).items.map((r) => r.id), [withFactor.id]);
      assert.deepEqual(await lockedInSearch(), [withFactor.id]);
      assert.equal(await csvLockedCell(), '"no"');
    });

    test('the Administrator status report: required, set up with which methods, last sign-in, enabled; CSV too', async () => {
      const response = await call(t, 'GET', '/api/v1/reports/administrators', undefined, org.masterToken);
      assert.equal(response.statusCode, 200, response.body);
      const { items } = response.json<{ items: Array<{ id: string; role: string; required: boolean; setUp: boolean; methods: string[]; lastSignInAt: string | null; enabled: boolean }> }>();
      assert.deepEqual(items.map((a) => a.role).sort(), ['administrator', 'master_administrator']);
      const row = items.find((a) => a.id === admin.id)!;
      assert.deepEqual([row.required, row.setUp, row.methods, row.enabled], [false, false, [], true]);
      assert.notEqual(row.lastSignInAt, null);
      await bindFactor(admin.id, 'sms');
      const again = (await call(t, 'GET', '/api/v1/reports/administrators?limit=1', undefined, org.masterToken)).json<{ items: unknown[]; nextCursor: string | null }>();
      assert.equal(again.items.length, 1);
      assert.ok(again.nextCursor);
      const csv = await call(t, 'GET', '/api/v1/reports/administrators?format=csv', undefined, org.masterToken);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(csv.body, new RegExp(`"${admin.email}","Administrator","","no","yes","text message",`));
      expectProblem(await call(t, 'GET', '/api/v1/reports/administrators', undefined, adminToken), 403, 'forbidden');
    });
  });
}
