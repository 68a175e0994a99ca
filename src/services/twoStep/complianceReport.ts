/**
 * The two-step verification report per technician group: how many members must use it, how many have
 * it set up, how many still have to, and how many are locked out (a factor after wrong codes, or the
 * password after wrong passwords, as the member search's `locked` finds them). Master
 * administrators see every group and the administrators; administrators see the groups they manage.
 * Counted from a handful of buckets, so it costs the same for ten members as for a hundred thousand.
 * With `limit`, the groups come a page at a time (by name, then id) with a cursor for the next: an
 * organization of thousands of groups need not send, nor a browser draw, every row at once.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { TwoStepSettings } from '../../core/model.ts';
import { boundedLimit, decodeNameCursor, encodeNameCursor } from '../access/nameCursor.ts';
import { loadPermissionActor } from '../access/permissionActor.ts';
import type { Actor, Context } from '../context.ts';
import type { Db } from '../../storage/database.ts';
import { hasLockedFactor } from '../members/memberFilters.ts';
import { passwordLockedMembers } from '../signIn/passwordAttempts.ts';
import { bucketMustSetUpAgain, bucketRequired, bucketSetUp, enforcementBuckets, type EnforcementBucket } from './enforcementCounts.ts';
import { loadOrganizationPolicy, type OrganizationPolicy } from './organizationPolicy.ts';

export interface ComplianceCounts {
  readonly members: number;
  readonly required: number;
  readonly setUp: number;
  /** Must use two-step verification and will be asked to set it up at the next sign-in. */
  readonly requiredWithoutSetup: number;
  /** Of those, members whose factors are all of methods since switched off: they must set up again. */
  readonly mustSetUpAgain: number;
  readonly locked: number;
}

export interface ComplianceReport {
  readonly settings: TwoStepSettings;
  readonly totals: ComplianceCounts;
  /** Members with no technician license (master administrators and administrators); master administrators only. */
  readonly administrators: ComplianceCounts | null;
  readonly technicianGroups: Array<ComplianceCounts & { id: string; name: string; parentId: string | null; enforceTwoStepVerification: boolean }>;
  /** With `limit`: where the next page of groups starts; null on the last page, and without `limit`. */
  readonly nextCursor: string | null;
}

export interface ComplianceQuery {
  readonly limit?: string | undefined;
  readonly cursor?: string | undefined;
}

export const COMPLIANCE_PAGE_MAX = 500;

const empty = (): { -readonly [K in keyof ComplianceCounts]: number } =>
  ({ members: 0, required: 0, setUp: 0, requiredWithoutSetup: 0, mustSetUpAgain: 0, locked: 0 });

function add(counts: ReturnType<typeof empty>, bucket: EnforcementBucket, settings: TwoStepSettings): void {
  const required = bucketRequired(bucket, settings);
  const setUp = bucketSetUp(bucket, settings.allowedMethods);
  counts.members += bucket.members;
  if (setUp) counts.setUp += bucket.members;
  if (bucket.locked) counts.locked += bucket.members;
  if (required) {
    counts.required += bucket.members;
    if (!setUp) counts.requiredWithoutSetup += bucket.members;
  }
  if (bucketMustSetUpAgain(bucket, settings)) counts.mustSetUpAgain += bucket.members;
}

/**
 * Enabled members locked out by their password and by no factor, per technician group: the buckets
 * count factor locks, and these are the rest of `locked`. Read from the window's wrong passwords, so
 * it costs what they number, not what the organization does.
 */
async function passwordOnlyLocks(db: Db, policy: OrganizationPolicy, now: Date): Promise<Array<{ groupId: string | null; members: number }>> {
  const rows = await db.selectFrom(passwordLockedMembers(db, now).as('locked_password'))
    .innerJoin('members', 'members.id', 'locked_password.member_id')
    .select(['members.technician_group_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('members.organization_id', '=', policy.id).where('members.enabled', '=', 1)
    .where((eb) => eb.not(hasLockedFactor(eb, policy, now)))
    .groupBy('members.technician_group_id')
    .execute();
  return rows.map((row) => ({ groupId: row.technician_group_id, members: Number(row.n) }));
}

export async function complianceReport(ctx: Context, actor: Actor, query: ComplianceQuery = {}): Promise<ComplianceReport> {
  const size = query.limit === undefined ? null : boundedLimit(query.limit, COMPLIANCE_PAGE_MAX, COMPLIANCE_PAGE_MAX);
  const after = decodeNameCursor(query.cursor);
  const permissions = await loadPermissionActor(ctx.db, actor);
  if (permissions.role === null) throw new TwofoldError('forbidden', 'Only administrators can see reports.');
  const master = permissions.role === 'master_administrator';
  const visible = (groupId: string | null) => (groupId === null ? master : master || permissions.managedGroupIds.has(groupId));

  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  const now = ctx.clock();
  const [buckets, passwordLocks, groups] = await Promise.all([
    enforcementBuckets(ctx.db, actor.organizationId, policy.epoch, now),
    passwordOnlyLocks(ctx.db, policy, now),
    ctx.db.selectFrom('technician_groups').select(['id', 'name', 'parent_id', 'enforce_two_step'])
      .where('organization_id', '=', actor.organizationId).orderBy('name').execute(),
  ]);
  const totals = empty();
  const administrators = empty();
  const byGroup = new Map(groups.filter((g) => visible(g.id)).map((g) => [g.id, empty()]));
  for (const bucket of buckets) {
    if (!visible(bucket.technicianGroupId)) continue;
    add(totals, bucket, policy.twoStep);
    const counts = bucket.technicianGroupId === null ? administrators : byGroup.get(bucket.technicianGroupId);
    if (counts) add(counts, bucket, policy.twoStep);
  }
  for (const { groupId, members } of passwordLocks) {
    if (!visible(groupId)) continue;
    totals.locked += members;
    const counts = groupId === null ? administrators : byGroup.get(groupId);
    if (counts) counts.locked += members;
  }
  let shown = groups.filter((g) => byGroup.has(g.id));
  let nextCursor: string | null = null;
  if (size !== null) {
    // Ordered here rather than by the database, whose collation may differ between engines: the cursor compares the same way.
    const byNameThenId = (a: { name: string; id: string }, b: { name: string; id: string }) =>
      (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const ordered = [...shown].sort(byNameThenId).filter((g) => !after || byNameThenId(g, after) > 0);
    shown = ordered.slice(0, size);
    const last = shown[shown.length - 1];
    if (ordered.length > size && last) nextCursor = encodeNameCursor({ name: last.name, id: last.id });
  }
  return {
    settings: policy.twoStep,
    totals,
    administrators: master ? administrators : null,
    technicianGroups: shown.map((g) => ({
      id: g.id, name: g.name, parentId: g.parent_id, enforceTwoStepVerification: g.enforce_two_step === 1, ...byGroup.get(g.id)!,
    })),
    nextCursor,
  };
}
