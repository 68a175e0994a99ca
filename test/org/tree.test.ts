/**
 * The lazy Organization Tree (`/api/v1/tree/…`) on a generated organization: pages of child groups
 * by name with their direct counts, keyset cursors, what an administrator may see, searching groups
 * and members with the path to open, and the Administrators section.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateLargeOrganization, type LargeOrganization } from '../../src/services/demo/generateLargeOrganization.ts';
import { call, createOrgTestApp, engines, tokenFor, type TestApp } from './_setup.ts';
import { expectProblem } from '../twoStep/_fixtures.ts';

const PASSWORD = 'Demo-Password-73';
interface TreeGroup { id: string; name: string; parentId: string | null; enforceTwoStep: boolean; groupCount: number; memberCount: number }
interface GroupsPage { items: TreeGroup[]; nextCursor: string | null }
interface Hit { kind: 'group' | 'member'; id: string; name: string; email: string | null; path: Array<{ id: string; name: string }> }

for (const engine of engines()) {
  describe(`organization tree on ${engine}`, () => {
    let t: TestApp;
    let org: LargeOrganization;
    let master: string;
    let admin: string;
    let technician: string;
    before(async () => {
      t = await createOrgTestApp(engine);
      org = await generateLargeOrganization(t.ctx, { members: 1_200, groups: 600, password: PASSWORD, suffix: `tree${process.pid}` });
      [master, admin, technician] = await Promise.all([
        tokenFor(t, org.masterEmail, PASSWORD), tokenFor(t, org.administratorEmail!, PASSWORD), tokenFor(t, org.technicianEmail!, PASSWORD),
      ]);
    });
    after(async () => { await t.close(); });

    const groups = async (token: string, query: string): Promise<GroupsPage> => {
      const response = await call(t, 'GET', `/api/v1/tree/groups${query}`, undefined, token);
      assert.equal(response.statusCode, 200, response.body);
      return response.json<GroupsPage>();
    };
    const search = async (token: string, q: string): Promise<Hit[]> => {
      const response = await call(t, 'GET', `/api/v1/tree/search?q=${encodeURIComponent(q)}`, undefined, token);
      assert.equal(response.statusCode, 200, response.body);
      return response.json<{ items: Hit[] }>().items;
    };

    test('the root, then a branch, page by page in name order, with direct counts from the database', async () => {
      const roots = await groups(master, '');
      assert.deepEqual(roots.items.map((g) => g.name), ['Group 00001', 'Group 00002']);
      assert.equal(roots.nextCursor, null);
      const root = roots.items[0]!;
      assert.equal(root.parentId, null);

      const first = await groups(master, `?parentId=${root.id}&limit=1`);
      assert.equal(first.items.length, 1);
      const seen = [...first.items];
      for (let cursor = first.nextCursor; cursor !== null;) {
        const next = await groups(master, `?parentId=${root.id}&limit=1&cursor=${cursor}`);
        seen.push(...next.items);
        cursor = next.nextCursor;
      }
      const rootChildren = await t.ctx.db.selectFrom('technician_groups').select('id').where('parent_id', '=', root.id).execute();
      assert.equal(root.groupCount, rootChildren.length);
      assert.equal(seen.length, rootChildren.length);
      assert.ok(seen.length >= 2);
      const sorted = [...seen].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      assert.deepEqual(seen.map((g) => g.id), sorted.map((g) => g.id));

      const all = await groups(master, `?parentId=${first.items[0]!.id}&limit=500`);
      const child = first.items[0]!;
      const db = t.ctx.db;
      const childGroups = await db.selectFrom('technician_groups').select('id').where('parent_id', '=', child.id).execute();
      const members = await db.selectFrom('members').select('id').where('technician_group_id', '=', child.id).execute();
      assert.equal(child.groupCount, childGroups.length);
      assert.equal(child.memberCount, members.length);
      assert.ok(child.memberCount > 0);
      assert.deepEqual(all.items.map((g) => g.id).sort(), childGroups.map((g) => g.id).sort());
    });

    test('an administrator sees their assigned group as a root, and nothing outside it', async () => {
      const roots = await groups(admin, '');
      assert.deepEqual(roots.items.map((g) => g.name), ['Group 00001']);
      const others = await groups(master, '');
      const notMine = others.items[1]!;
      expectProblem(await call(t, 'GET', `/api/v1/tree/groups?parentId=${notMine.id}`, undefined, admin), 404, 'not_found');
      assert.equal((await groups(admin, `?parentId=${roots.items[0]!.id}`)).items.length, roots.items[0]!.groupCount);
      expectProblem(await call(t, 'GET', '/api/v1/tree/groups', undefined, technician), 403, 'forbidden');
    });

    test('bad limits and cursors are validation_failed', async () => {
      for (const query of ['?limit=501', '?limit=0', '?cursor=nonsense', '?parentId=x&unknown=1']) {
        expectProblem(await call(t, 'GET', `/api/v1/tree/groups${query}`, undefined, master), 400, 'validation_failed');
      }
      for (const query of ['', '?q=', '?q=%20', '?q=a&limit=51']) {
        expectProblem(await call(t, 'GET', `/api/v1/tree/search${query}`, undefined, master), 400, 'validation_failed');
      }
    });

    test('search: group name prefix, member email with the path down to their group, substring, and the caller\'s reach', async () => {
      const byPrefix = await search(master, 'GROUP 0000');
      assert.deepEqual(byPrefix.map((h) => h.name), ['Group 00001', 'Group 00002', 'Group 00003', 'Group 00004', 'Group 00005', 'Group 00006', 'Group 00007', 'Group 00008', 'Group 00009']);
      assert.deepEqual(byPrefix[0]!.path, []);
      assert.deepEqual(byPrefix[2]!.path.map((p) => p.name), ['Group 00001']);

      const [member] = await search(master, org.technicianEmail!.toUpperCase());
      assert.equal(member?.kind, 'member');
      assert.equal(member.email, org.technicianEmail);
      const row = await t.ctx.db.selectFrom('members').select('technician_group_id').where('id', '=', member.id).executeTakeFirstOrThrow();
      assert.equal(member.path.at(-1)!.id, row.technician_group_id);
      assert.equal(member.path[0]!.name, 'Group 00001');

      const inside = await search(master, 'roup 00599');
      assert.deepEqual(inside.map((h) => h.name), ['Group 00599']);

      // Group 00002 is the other root: outside the administrator's reach, and so are its technicians.
      assert.deepEqual(await search(admin, 'Group 00002'), []);
      const tech2 = org.technicianEmail!.replace('tech-1.', 'tech-2.');
      assert.equal((await search(master, tech2)).length, 1);
      assert.deepEqual(await search(admin, tech2), []);
      assert.equal((await search(admin, 'Group 0000')).length > 0, true);
      assert.ok((await search(admin, 'Group 0000')).every((h) => h.path.length === 0 || h.path[0]!.name === 'Group 00001'));
    });

    test('the Administrators section: all for a master administrator, only themself for an administrator', async () => {
      const everyone = (await call(t, 'GET', '/api/v1/tree/administrators', undefined, master)).json<{
        masterAdministrators: Array<{ email: string }>; administratorGroups: Array<{ name: string; administrators: Array<{ email: string }>; technicianGroups: Array<{ name: string }> }>; unassignedAdministrators: unknown[];
      }>();
      assert.deepEqual(everyone.masterAdministrators.map((m) => m.email), [org.masterEmail]);
      assert.equal(everyone.administratorGroups.length, 1);
      assert.equal(everyone.administratorGroups[0]!.administrators.length, 2);
      assert.deepEqual(everyone.administratorGroups[0]!.technicianGroups.map((g) => g.name), ['Group 00001', 'Group 00002']);
      assert.deepEqual(everyone.unassignedAdministrators, []);

      const self = (await call(t, 'GET', '/api/v1/tree/administrators', undefined, admin)).json<typeof everyone>();
      assert.deepEqual(self.masterAdministrators, []);
      assert.deepEqual(self.administratorGroups.map((g) => g.administrators.map((a) => a.email)), [[org.administratorEmail]]);
      assert.deepEqual(self.administratorGroups[0]!.technicianGroups.map((g) => g.name), ['Group 00001']);
      expectProblem(await call(t, 'GET', '/api/v1/tree/administrators', undefined, technician), 403, 'forbidden');
    });
  });
}
