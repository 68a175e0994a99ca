// Threat: "Enforce two-step verification" silently lost or spread — a new subgroup that escapes its
// parent's enforcement, or a change that reaches subgroups nobody chose to change — and an
// administrator's tree showing groups outside their assignment.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createOrgTestApp, engines, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

interface Group { id: string; name: string; parentId: string | null; enforceTwoStepVerification: boolean; children: Group[] }

for (const engine of engines()) {
  describe(`technician groups on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
    });
    after(async () => t?.close());

    const create = async (body: object, token = w.mah.token): Promise<Group> => {
      const response = await call(t, 'POST', '/api/v1/technician-groups', body, token);
      assert.equal(response.statusCode, 201, response.body);
      return response.json<Group>();
    };
    const get = async (id: string): Promise<Group> => (await call(t, 'GET', `/api/v1/technician-groups/${id}`, undefined, w.mah.token)).json<Group>();

    test('a new subgroup starts with its parent\'s enforcement', async () => {
      const parent = await create({ name: 'Enforced', enforceTwoStepVerification: true });
      assert.equal(parent.enforceTwoStepVerification, true);
      const child = await create({ name: 'Child', parentId: parent.id });
      assert.deepEqual([child.parentId, child.enforceTwoStepVerification], [parent.id, true]);
      const optedOut = await create({ name: 'Opted out', parentId: parent.id, enforceTwoStepVerification: false });
      assert.equal(optedOut.enforceTwoStepVerification, false);
      assert.equal((await create({ name: 'Root' })).enforceTwoStepVerification, false);
    });

    test('saving a group changes its subgroups only when asked to', async () => {
      const top = await create({ name: 'Top' });
      const middle = await create({ name: 'Middle', parentId: top.id });
      const bottom = await create({ name: 'Bottom', parentId: middle.id });
      await w.asMah('PATCH', `/api/v1/technician-groups/${top.id}`, { enforceTwoStepVerification: true });
      assert.deepEqual([(await get(middle.id)).enforceTwoStepVerification, (await get(bottom.id)).enforceTwoStepVerification], [false, false]);
      await w.asMah('PATCH', `/api/v1/technician-groups/${top.id}`, { enforceTwoStepVerification: true, applyToSubgroups: true });
      assert.deepEqual([(await get(middle.id)).enforceTwoStepVerification, (await get(bottom.id)).enforceTwoStepVerification], [true, true]);
      const event = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_id', '=', top.id)
        .where('change_type', '=', 'Change').execute();
      assert.ok(event.some((e) => JSON.stringify(JSON.parse(e.details!).appliedToSubgroups?.sort()) === JSON.stringify([middle.id, bottom.id].sort())));
    });

    test('an administrator sees the groups assigned to them as the roots of their tree', async () => {
      const inside = await create({ name: 'Inside', parentId: w.groups.A1 }, w.adminA.token);
      const tree = (await call(t, 'GET', '/api/v1/technician-groups', undefined, w.adminA.token)).json<{ items: Group[] }>().items;
      assert.deepEqual(tree.map((g) => g.id), [w.groups.A]);
      assert.deepEqual(tree[0]!.children.map((g) => g.id), [w.groups.A1]);
      assert.ok(tree[0]!.children[0]!.children.some((g) => g.id === inside.id));
      const everything = (await call(t, 'GET', '/api/v1/technician-groups', undefined, w.mah.token)).json<{ items: Group[] }>().items;
      assert.ok(everything.some((g) => g.id === w.groups.B));
    });

    test('a group moves within the tree, never below itself, and is deleted only when empty', async () => {
      const outer = await create({ name: 'Outer' });
      const inner = await create({ name: 'Inner', parentId: outer.id });
      const cycle = await call(t, 'PATCH', `/api/v1/technician-groups/${outer.id}`, { parentId: inner.id }, w.mah.token);
      assert.equal(cycle.json<{ code: string }>().code, 'group_cycle');
      const moved = await w.asMah('PATCH', `/api/v1/technician-groups/${inner.id}`, { parentId: null });
      assert.equal(moved.parentId, null);
      await w.asMah('PATCH', `/api/v1/technician-groups/${outer.id}`, { parentId: inner.id });
      const refused = await call(t, 'DELETE', `/api/v1/technician-groups/${inner.id}`, undefined, w.mah.token);
      assert.equal(refused.json<{ code: string }>().code, 'group_not_empty');
      await w.asMah('DELETE', `/api/v1/technician-groups/${outer.id}`);
      await w.asMah('DELETE', `/api/v1/technician-groups/${inner.id}`);
      assert.equal((await call(t, 'GET', `/api/v1/technician-groups/${inner.id}`, undefined, w.mah.token)).statusCode, 404);
    });

    test('deleting a group assigned to an administrator ends the assignment', async () => {
      const assigned = await create({ name: 'Assigned' });
      await w.asMah('PATCH', `/api/v1/members/${w.adminA.id}`, { assignedTechnicianGroupIds: [w.groups.A, assigned.id] });
      await w.asMah('DELETE', `/api/v1/technician-groups/${assigned.id}`);
      const admin = await w.asMah('GET', `/api/v1/members/${w.adminA.id}`);
      assert.deepEqual(admin.assignedTechnicianGroupIds, [w.groups.A]);
    });
  });
}
