// Threat: "Enforce two-step verification" silently lost or spread — a new subgroup that escapes its
// parent's enforcement, or a change that reaches subgroups nobody chose to change — an
// administrator's tree showing groups outside their assignment, and two sibling groups of one name
// (a path such as "Support/Tier 1" would no longer say which), or a name holding the path's "/".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isUniqueViolation } from '../../src/storage/uniqueViolation.ts';
import { newId } from '../../src/crypto/tokens.ts';
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
    const refusedAs = (response: { statusCode: number; json<T>(): T; body: string }, field: string) => {
      assert.equal(response.statusCode, 409, response.body);
      assert.deepEqual([response.json<{ code: string }>().code, response.json<{ field: string }>().field], ['group_name_taken', field]);
    };

    test('siblings have different names, without regard to case, at the root and below a group', async () => {
      await create({ name: 'Field Team' });
      refusedAs(await call(t, 'POST', '/api/v1/technician-groups', { name: ' field team ' }, w.mah.token), 'name');
      const below = await create({ name: 'Field Team', parentId: w.groups.B });
      refusedAs(await call(t, 'POST', '/api/v1/technician-groups', { name: 'FIELD TEAM', parentId: w.groups.B }, w.mah.token), 'name');
      // Case is folded in every script, on both databases alike.
      await create({ name: 'Équipe', parentId: below.id });
      refusedAs(await call(t, 'POST', '/api/v1/technician-groups', { name: 'équipe', parentId: below.id }, w.mah.token), 'name');
      // Another organization may use the name.
      assert.equal((await call(t, 'POST', '/api/v1/technician-groups', { name: 'Field Team' }, w.foreign.token)).statusCode, 201);
      const named = await t.ctx.db.selectFrom('technician_groups').select('id').where('organization_id', '=', w.organizationId)
        .where('name', 'in', ['Field Team', ' field team ', 'FIELD TEAM']).execute();
      assert.equal(named.length, 2);
    });

    test('a rename or a move onto a sibling\'s name is refused; a group may change the case of its own', async () => {
      const parent = await create({ name: 'Rename parent' });
      const first = await create({ name: 'North', parentId: parent.id });
      const second = await create({ name: 'South', parentId: parent.id });
      refusedAs(await call(t, 'PATCH', `/api/v1/technician-groups/${second.id}`, { name: 'NORTH' }, w.mah.token), 'name');
      assert.equal((await w.asMah('PATCH', `/api/v1/technician-groups/${first.id}`, { name: 'NORTH' })).name, 'NORTH');
      const elsewhere = await create({ name: 'North' });
      refusedAs(await call(t, 'PATCH', `/api/v1/technician-groups/${elsewhere.id}`, { parentId: parent.id }, w.mah.token), 'parentId');
      refusedAs(await call(t, 'PATCH', `/api/v1/technician-groups/${first.id}`, { parentId: null }, w.mah.token), 'parentId');
      assert.deepEqual([(await get(elsewhere.id)).parentId, (await get(first.id)).parentId], [null, parent.id]);
      // Moving and renaming at once is judged by the new name under the new parent.
      const moved = await w.asMah('PATCH', `/api/v1/technician-groups/${elsewhere.id}`, { parentId: parent.id, name: 'West' });
      assert.deepEqual([moved.parentId, moved.name], [parent.id, 'West']);
    });

    test('two creates of one name at once: one group, and the other hears group_name_taken', async () => {
      const parent = await create({ name: 'Race parent' });
      for (const parentId of [parent.id, null]) {
        const name = `Raced ${newId()}`;
        const responses = await Promise.all([0, 1, 2].map((i) =>
          call(t, 'POST', '/api/v1/technician-groups', { name: i === 0 ? name : name.toUpperCase(), parentId }, [w.mah.token, w.master.token, w.mah.token][i])));
        assert.deepEqual(responses.map((r) => r.statusCode).sort(), [201, 409, 409], responses.map((r) => r.body).join('\n'));
        for (const r of responses.filter((r) => r.statusCode === 409)) assert.equal(r.json<{ code: string }>().code, 'group_name_taken');
      }
    });

    test('the database itself refuses a second sibling of one name, NULL parent included', async () => {
      const row = (name: string, parentId: string | null) => ({
        id: newId(), organization_id: w.organizationId, parent_id: parentId, name, description: '', enforce_two_step: 0, created_at: 0,
      });
      for (const parentId of [null, w.groups.A]) {
        await t.ctx.db.insertInto('technician_groups').values(row('Direct', parentId)).execute();
        await assert.rejects(t.ctx.db.insertInto('technician_groups').values(row('DIRECT', parentId)).execute(), (error) => isUniqueViolation(error));
      }
    });

    test('a name with "/" is refused at create and rename (400 validation_failed on name); one from before may stay', async () => {
      const refusedName = (response: { statusCode: number; json<T>(): T; body: string }) => {
        assert.equal(response.statusCode, 400, response.body);
        const body = response.json<{ code: string; errors: Array<{ field: string }> }>();
        assert.deepEqual([body.code, body.errors.map((e) => e.field)], ['validation_failed', ['body/name']]);
      };
      const parent = await create({ name: 'Slash parent' });
      refusedName(await call(t, 'POST', '/api/v1/technician-groups', { name: 'Slash parent/Tier 1' }, w.mah.token));
      refusedName(await call(t, 'POST', '/api/v1/technician-groups', { name: 'a/b', parentId: parent.id }, w.mah.token));
      const child = await create({ name: 'Tier 1', parentId: parent.id });
      refusedName(await call(t, 'PATCH', `/api/v1/technician-groups/${child.id}`, { name: 'Tier 1/North' }, w.mah.token));
      assert.equal((await get(child.id)).name, 'Tier 1');
      const named = await t.ctx.db.selectFrom('technician_groups').select('id').where('organization_id', '=', w.organizationId)
        .where('name', 'like', '%/%').execute();
      assert.deepEqual(named, []);

      // A group named before the rule keeps its name through other edits, and may be renamed to a safe one.
      const legacy = newId();
      await t.ctx.db.insertInto('technician_groups').values({
        id: legacy, organization_id: w.organizationId, parent_id: null, name: 'Old/Name', description: '', enforce_two_step: 0, created_at: 0,
      }).execute();
      assert.equal((await w.asMah('PATCH', `/api/v1/technician-groups/${legacy}`, { name: 'Old/Name', description: 'kept' })).name, 'Old/Name');
      refusedName(await call(t, 'PATCH', `/api/v1/technician-groups/${legacy}`, { name: 'Old/Other' }, w.mah.token));
      assert.equal((await w.asMah('PATCH', `/api/v1/technician-groups/${legacy}`, { name: 'Old - Name' })).name, 'Old - Name');
    });

    test('a path two groups share (a name from before "/" was refused) is a row error, never the wrong group', async () => {
      const outer = await create({ name: 'Shared' });
      const inner = await create({ name: 'Path', parentId: outer.id });
      const legacy = newId();
      await t.ctx.db.insertInto('technician_groups').values({
        id: legacy, organization_id: w.organizationId, parent_id: null, name: 'Shared/Path', description: '', enforce_two_step: 0, created_at: 0,
      }).execute();
      const importOne = (email: string, technicianGroup: string) => call(t, 'POST', '/api/v1/members/import', {
        format: 'json', content: JSON.stringify([{ name: 'Pat', email, technicianGroup }]),
      }, w.mah.token);
      for (const path of ['Shared/Path', 'shared / PATH']) {
        const email = `ambiguous-${newId()}@example.test`;
        const refused = await importOne(email, path);
        assert.equal(refused.statusCode, 422, refused.body);
        const body = refused.json<{ code: string; errors: Array<{ row: number; field: string }> }>();
        assert.equal(body.code, 'import_failed');
        assert.deepEqual(body.errors.map((e) => [e.row, e.field]), [[1, 'technicianGroup']]);
        assert.equal(await t.ctx.db.selectFrom('members').select('id').where('email', '=', email).executeTakeFirst(), undefined);
      }
      // By id, each is found.
      for (const id of [legacy, inner.id]) {
        const email = `by-id-${newId()}@example.test`;
        assert.equal((await importOne(email, id)).statusCode, 201);
        const member = await t.ctx.db.selectFrom('members').select('technician_group_id').where('email', '=', email).executeTakeFirstOrThrow();
        assert.equal(member.technician_group_id, id);
      }
    });

    test('an import names a group by its path, which is now always one group', async () => {
      const support = await create({ name: 'Import Support' });
      const tier = await create({ name: 'Tier 1', parentId: support.id });
      await create({ name: 'Tier 1', parentId: w.groups.B });
      const email = `path-${newId()}@example.test`;
      const imported = await call(t, 'POST', '/api/v1/members/import', {
        format: 'json', content: JSON.stringify([{ name: 'Pat', email, technicianGroup: 'import support / TIER 1' }]),
      }, w.mah.token);
      assert.equal(imported.statusCode, 201, imported.body);
      const member = await t.ctx.db.selectFrom('members').select('technician_group_id').where('email', '=', email).executeTakeFirstOrThrow();
      assert.equal(member.technician_group_id, tier.id);
    });
  });
}
