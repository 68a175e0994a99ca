/**
 * How many members a two-step policy requires, counted in the database but decided by the one pure
 * rule: members are grouped by what the rule looks at (technician group and its "Enforce two-step
 * verification", role, the methods of their factors, whether a factor is locked), a few buckets per
 * group, and the rule is asked once per bucket. One query whatever the size of the organization.
 * Buckets keep the methods rather than "set up", so a preview can ask what allowed methods not yet
 * saved would leave usable (core/switchedOff.ts).
 */
import { sql } from 'kysely';
import { METHOD_IDS, type MethodId, type TwoStepSettings } from '../../core/model.ts';
import { mustUseTwoStep, type EnforcementSettings } from '../../core/mustUseTwoStep.ts';
import { hasUsableFactor, mustSetUpAgain } from '../../core/switchedOff.ts';
import type { Db } from '../../storage/database.ts';
import { rolesOf } from './memberTwoStep.ts';

export interface EnforcementCounts {
  /** Enabled members who must use two-step verification under the settings. */
  readonly required: number;
  /** Of those, members without two-step verification set up in the given epoch. */
  readonly requiredWithoutSetup: number;
  /** Enabled members with two-step verification set up in the given epoch (a factor of an allowed method). */
  readonly setUp: number;
  /** Required members whose factors in the given epoch are all of methods not allowed: they must set up again. */
  readonly mustSetUpAgain: number;
  /** Enabled members with any active factor in the given epoch, allowed or not. */
  readonly withFactors: number;
}

/** Enabled members alike in everything the rule and the reports look at, and how many they are. */
export interface EnforcementBucket {
  readonly technicianGroupId: string | null;
  readonly role: string | null;
  readonly groupEnforces: boolean;
  /** The methods of the members' active factors in the epoch, in {@link METHOD_IDS} order; [] for none. */
  readonly methods: MethodId[];
  readonly locked: boolean;
  readonly members: number;
}

/**
 * The organization's enabled members grouped into buckets: at most a few per technician group,
 * whatever the number of members. `now` decides which factor locks are still in force.
 *
 * Two grouped queries, neither of which looks a member's factors up one by one: the members per
 * technician group and role (one scan of the organization's members), and the members with an active
 * factor in the epoch per group, role and what their factors are (the epoch's factors read once
 * through `factors_org_epoch`, grouped per member, then joined to their member). The members without
 * any such factor are the difference. Five correlated lookups per member took seconds at 100,000.
 */
export async function enforcementBuckets(db: Db, organizationId: string, epoch: number, now: Date): Promise<EnforcementBucket[]> {
  // Grouped before the join: one lookup per group and role rather than one per member.
  const perGroupAndRole = db.selectFrom('members')
    .select(['technician_group_id as group_id', 'role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organization_id', '=', organizationId).where('enabled', '=', 1)
    .groupBy(['technician_group_id', 'role'])
    .as('x');
  const [all, withFactors] = await Promise.all([
    db.selectFrom(perGroupAndRole)
      .leftJoin('technician_groups as g', 'g.id', 'x.group_id')
      .select(['x.group_id', 'x.role', 'x.n', sql<number>`coalesce(g.enforce_two_step, 0)`.as('enforces')])
      .execute(),
    db.selectFrom(
      db.selectFrom('factors')
        .select([
          'member_id',
          ...METHOD_IDS.map((method) => sql<number>`max(case when type = ${method} then 1 else 0 end)`.as(`has_${method}`)),
          sql<number>`max(case when locked_until_reset = 1 or locked_until > ${now.getTime()} then 1 else 0 end)`.as('locked'),
        ])
        .where('organization_id', '=', organizationId).where('epoch', '=', epoch).where('active', '=', 1)
        .groupBy('member_id')
        .as('f'),
    )
      .innerJoin('members as m', 'm.id', 'f.member_id')
      .select(['m.technician_group_id as group_id', 'm.role', 'f.has_push', 'f.has_totp', 'f.has_sms', 'f.has_email', 'f.locked', (eb) => eb.fn.countAll<number>().as('n')])
      .where('m.enabled', '=', 1)
      .groupBy(['m.technician_group_id', 'm.role', 'f.has_push', 'f.has_totp', 'f.has_sms', 'f.has_email', 'f.locked'])
      .execute(),
  ]);
  const key = (groupId: string | null, role: string | null) => `${groupId ?? ''}\u0000${role ?? ''}`;
  const withoutFactors = new Map(all.map((row) => [key(row.group_id, row.role), { ...row, n: Number(row.n) }]));
  const buckets: EnforcementBucket[] = [];
  for (const row of withFactors) {
    const base = withoutFactors.get(key(row.group_id, row.role));
    if (base === undefined) continue; // a member who moved between the two reads: counted in the next preview
    const members = Math.min(Number(row.n), base.n);
    base.n -= members;
    buckets.push({
      technicianGroupId: row.group_id, role: row.role, groupEnforces: Number(base.enforces) === 1,
      methods: METHOD_IDS.filter((m) => Number(row[`has_${m}`]) === 1), locked: Number(row.locked) === 1, members,
    });
  }
  for (const row of withoutFactors.values()) {
    if (row.n > 0) buckets.push({ technicianGroupId: row.group_id, role: row.role, groupEnforces: Number(row.enforces) === 1, methods: [], locked: false, members: row.n });
  }
  return buckets;
}

/** Whether the members of a bucket must use two-step verification under `settings`: the one rule decides. */
export function bucketRequired(bucket: EnforcementBucket, settings: EnforcementSettings): boolean {
  const roles = rolesOf({ role: bucket.role, technician_group_id: bucket.technicianGroupId });
  return mustUseTwoStep(roles, settings, bucket.groupEnforces);
}

/** Whether the members of a bucket have a factor of a method `allowedMethods` allows. */
export const bucketSetUp = (bucket: EnforcementBucket, allowedMethods: readonly MethodId[]): boolean =>
  hasUsableFactor(bucket.methods, allowedMethods);

/** Whether the members of a bucket must set two-step verification up again under `settings`. */
export const bucketMustSetUpAgain = (bucket: EnforcementBucket, settings: Pick<TwoStepSettings, keyof EnforcementSettings | 'allowedMethods'>): boolean =>
  mustSetUpAgain({ required: bucketRequired(bucket, settings), methods: bucket.methods }, settings.allowedMethods);

export async function countEnforcement(
  db: Db, organizationId: string, settings: Pick<TwoStepSettings, keyof EnforcementSettings | 'allowedMethods'>, epoch: number, now = new Date(0),
): Promise<EnforcementCounts> {
  const counts = { required: 0, requiredWithoutSetup: 0, setUp: 0, mustSetUpAgain: 0, withFactors: 0 };
  for (const bucket of await enforcementBuckets(db, organizationId, epoch, now)) {
    const setUp = bucketSetUp(bucket, settings.allowedMethods);
    if (setUp) counts.setUp += bucket.members;
    if (bucket.methods.length > 0) counts.withFactors += bucket.members;
    if (bucketMustSetUpAgain(bucket, settings)) counts.mustSetUpAgain += bucket.members;
    if (bucketRequired(bucket, settings)) {
      counts.required += bucket.members;
      if (!setUp) counts.requiredWithoutSetup += bucket.members;
    }
  }
  return counts;
}
