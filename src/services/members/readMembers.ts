/** One member, and the page of members the caller may see, oldest first, found and filtered. */
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { decodeCursor, keysetCondition, pageSize, toPage, type Page, type PageParams } from '../access/pagination.ts';
import type { Actor, Context } from '../context.ts';
import { findVisibleTechnicianGroup } from '../groups/technicianGroupRecord.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { findVisibleMember } from './memberAccess.ts';
import { hasRole, inTwoStepState, matchesSearch, type RoleFilter, type TwoStepStateFilter } from './memberFilters.ts';
import { toMemberRecord, toMemberRecords, type MemberRecord } from './memberRecord.ts';

/** One member the caller may read; `not_found` otherwise. */
export async function getMember(ctx: Context, actor: Actor, id: string): Promise<MemberRecord> {
  const [permissions, policy] = await Promise.all([loadPermissionActor(ctx.db, actor), loadOrganizationPolicy(ctx.db, actor.organizationId)]);
  const row = await findVisibleMember(ctx.db, permissions, id, policy.masterAccountHolderId);
  return toMemberRecord(ctx.db, row, policy, ctx.clock());
}

export interface ListMembersParams extends PageParams {
  /** Only the members of this technician group (not its subgroups). */
  readonly technicianGroupId?: string | undefined;
  /** Name or email contains this, ignoring case. */
  readonly q?: string | undefined;
  readonly role?: RoleFilter | undefined;
  readonly twoStepState?: TwoStepStateFilter | undefined;
}

/**
 * The members the caller may read (see core/permissions.ts): everyone for master administrators;
 * themselves and the members of their managed groups for administrators; themselves for technicians.
 */
export async function listMembers(ctx: Context, actor: Actor, params: ListMembersParams): Promise<Page<MemberRecord>> {
  const size = pageSize(params.limit);
  const after = decodeCursor(params.cursor);
  const [permissions, policy] = await Promise.all([loadPermissionActor(ctx.db, actor), loadOrganizationPolicy(ctx.db, actor.organizationId)]);
  requireAllowed(permissions, 'member.list', organizationTarget(actor.organizationId));
  if (params.technicianGroupId !== undefined) {
    await findVisibleTechnicianGroup(ctx.db, permissions, params.technicianGroupId, 'technicianGroupId');
  }

  let query = ctx.db.selectFrom('members').selectAll().where('organization_id', '=', actor.organizationId);
  if (permissions.role !== 'master_administrator') {
    const managed = [...permissions.managedGroupIds];
    query = query.where((eb) => managed.length > 0
      ? eb.or([eb('id', '=', actor.id), eb('technician_group_id', 'in', managed)])
      : eb('id', '=', actor.id));
  }
  if (params.technicianGroupId !== undefined) query = query.where('technician_group_id', '=', params.technicianGroupId);
  const { q, role, twoStepState } = params;
  if (q !== undefined && q !== '') query = query.where((eb) => matchesSearch(eb, q));
  if (role !== undefined) query = query.where((eb) => hasRole(eb, role));
  const now = ctx.clock();
  if (twoStepState !== undefined) query = query.where((eb) => inTwoStepState(eb, twoStepState, policy, now));
  if (after) {
    query = query.where(keysetCondition(['created_at', 'id'], [after.at, after.id], 'after'));
  }
  const rows = await query.orderBy('created_at').orderBy('id').limit(size + 1).execute();
  return toPage(rows, size, (r) => ({ at: r.created_at, id: r.id }), (kept) => toMemberRecords(ctx.db, kept, policy, now));
}
