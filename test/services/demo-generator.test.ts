/**
 * The large demo organization (services/demo/generateLargeOrganization.ts): the members and groups
 * asked for, groups nested at most 8 deep (and 8 deep once there are enough), administrators in
 * administrator groups assigned technician groups, some groups enforcing two-step verification, and
 * everyone signing in with the one shared demo password.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateLargeOrganization, groupParents, MAX_DEPTH } from '../../src/services/demo/generateLargeOrganization.ts';
import { createTestApp, engines, tokenFor } from '../support/harness.ts';

const PASSWORD = 'Demo-Password-73';

test('group parents: never deeper than 8, and 8 deep at 5,000 groups', () => {
  const { parents, depths } = groupParents(5_000);
  assert.equal(Math.max(...depths), MAX_DEPTH);
  parents.forEach((parent, i) => {
    if (parent !== null) {
      assert.ok(parent < i, 'a parent comes before its children');
      assert.equal(depths[i], depths[parent]! + 1);
    }
  });
});

for (const engine of engines()) {
  describe(`large demo organization (${engine})`, () => {
    test('counts, depth, administrators and assignments, and the shared password', async () => {
      const t = await createTestApp({ engine });
      try {
        const org = await generateLargeOrganization(t.ctx, { members: 1_200, groups: 300, password: PASSWORD, suffix: `t${process.pid}` });
        const db = t.ctx.db;
        const members = await db.selectFrom('members').select(['id', 'role', 'technician_group_id', 'administrator_group_id'])
          .where('organization_id', '=', org.organizationId).execute();
        assert.equal(members.length, 1_200);
        const groups = await db.selectFrom('technician_groups').select(['id', 'parent_id', 'enforce_two_step'])
          .where('organization_id', '=', org.organizationId).execute();
        assert.equal(groups.length, 300);
        const parentOf = new Map(groups.map((g) => [g.id, g.parent_id]));
        const depthOf = (id: string): number => { const p = parentOf.get(id); return p ? 1 + depthOf(p) : 1; };
        assert.equal(Math.max(...groups.map((g) => depthOf(g.id))), 8);
        assert.equal(org.depth, 8);
        assert.ok(groups.some((g) => g.enforce_two_step === 1));
        assert.ok(groups.some((g) => g.enforce_two_step === 0));

        const administrators = members.filter((m) => m.role === 'administrator');
        assert.equal(administrators.length, org.administrators);
        assert.ok(administrators.every((a) => a.administrator_group_id !== null));
        const assignments = await db.selectFrom('administrator_assignments').select('administrator_id')
          .where('administrator_id', 'in', administrators.map((a) => a.id)).execute();
        assert.equal(assignments.length, administrators.length);
        const technicians = members.filter((m) => m.role === null);
        assert.equal(technicians.length, 1_200 - administrators.length - 1);
        assert.ok(technicians.every((m) => m.technician_group_id !== null));

        // One argon2 hash, reused: the demo password signs in a technician and an administrator.
        await tokenFor(t, org.technicianEmail!, PASSWORD);
        await tokenFor(t, org.administratorEmail!, PASSWORD);
      } finally {
        await t.close();
      }
    });
  });
}
