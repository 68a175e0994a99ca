/**
 * How many members a two-step policy requires, counted in the database but decided by the one pure
 * rule: members are grouped by what the rule looks at (role, technician license, their group's
 * "Enforce two-step verification", whether they have set it up), at most 24 groups, and the rule is
 * asked once per group. One indexed query whatever the size of the organization.
 */
import { sql } from 'kysely';
import type { TwoStepSettings } from '../../core/model.ts';
import { mustUseTwoStep } from '../../core/mustUseTwoStep.ts';
import type { Db } from '../../storage/database.ts';
import { rolesOf } from './memberTwoStep.ts';

export interface EnforcementCounts {
  /** Enabled members who must use two-step verification under the settings. */
  readonly required: number;
  /** Of those, members without two-step verification set up in the given epoch. */
  readonly requiredWithoutSetup: number;
  /** Enabled members with two-step verification set up in the given epoch. */
  readonly setUp: number;
}

export async function countEnforcement(
  db: Db, organizationId: string, settings: Pick<TwoStepSettings, 'masterAdministrators' | 'administrators' | 'technicians'>, epoch: number,
): Promise<EnforcementCounts> {
  const hasFactor = sql<number>`case when exists (select 1 from factors f where f.member_id = m.id and f.epoch = ${epoch} and f.active = 1) then 1 else 0 end`;
  // One row per member with what the rule looks at, then grouped on those columns: PostgreSQL does not
  // recognise a GROUP BY on the bound-parameter subquery as the select's expression, so group the
  // derived table's columns instead of repeating the expressions.
  const perMember = db.selectFrom('members as m')
    .leftJoin('technician_groups as g', 'g.id', 'm.technician_group_id')
    .select([
      'm.role as role',
      sql<number>`case when m.technician_group_id is null then 0 else 1 end`.as('technician'),
      sql<number>`coalesce(g.enforce_two_step, 0)`.as('enforces'),
      hasFactor.as('set_up'),
    ])
    .where('m.organization_id', '=', organizationId).where('m.enabled', '=', 1)
    .as('x');
  const rows = await db.selectFrom(perMember)
    .select(['x.role', 'x.technician', 'x.enforces', 'x.set_up', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['x.role', 'x.technician', 'x.enforces', 'x.set_up'])
    .execute();
  let required = 0;
  let requiredWithoutSetup = 0;
  let setUp = 0;
  for (const row of rows) {
    const n = Number(row.n);
    const roles = rolesOf({ role: row.role, technician_group_id: Number(row.technician) === 1 ? 'group' : null });
    const isSetUp = Number(row.set_up) === 1;
    if (isSetUp) setUp += n;
    if (mustUseTwoStep(roles, settings, Number(row.enforces) === 1)) {
      required += n;
      if (!isSetUp) requiredWithoutSetup += n;
    }
  }
  return { required, requiredWithoutSetup, setUp };
}
