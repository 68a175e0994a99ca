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
 */
export async function enforcementBuckets(db: Db, organizationId: string, epoch: number, now: Date): Promise<EnforcementBucket[]> {
  const factorExists = (extra: ReturnType<typeof sql>) =>
    sql<number>`case when exists (select 1 from factors f where f.member_id = m.id and f.epoch = ${epoch} and f.active = 1 ${extra}) then 1 else 0 end`;
  // One row per member with what the rule looks at, then grouped on those columns: PostgreSQL does not
  // recognise a GROUP BY on the bound-parameter subquery as the select's expression, so group the
  // derived table's columns instead of repeating the expressions.
  const perMember = db.selectFrom('members as m')
    .leftJoin('technician_groups as g', 'g.id', 'm.technician_group_id')
    .select([
      'm.technician_group_id as group_id',
      'm.role as role',
      sql<number>`coalesce(g.enforce_two_step, 0)`.as('enforces'),
      factorExists(sql`and f.type = 'push'`).as('has_push'),
      factorExists(sql`and f.type = 'totp'`).as('has_totp'),
      factorExists(sql`and f.type = 'sms'`).as('has_sms'),
      factorExists(sql`and f.type = 'email'`).as('has_email'),
      factorExists(sql`and (f.locked_until_reset = 1 or f.locked_until > ${now.getTime()})`).as('locked'),
    ])
    .where('m.organization_id', '=', organizationId).where('m.enabled', '=', 1)
    .as('x');
  const rows = await db.selectFrom(perMember)
    .select(['x.group_id', 'x.role', 'x.enforces', 'x.has_push', 'x.has_totp', 'x.has_sms', 'x.has_email', 'x.locked', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['x.group_id', 'x.role', 'x.enforces', 'x.has_push', 'x.has_totp', 'x.has_sms', 'x.has_email', 'x.locked'])
    .execute();
  return rows.map((row) => ({
    technicianGroupId: row.group_id,
    role: row.role,
    groupEnforces: Number(row.enforces) === 1,
    methods: METHOD_IDS.filter((m) => Number(row[`has_${m}`]) === 1),
    locked: Number(row.locked) === 1,
    members: Number(row.n),
  }));
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
