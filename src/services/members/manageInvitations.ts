/**
 * Invitations as administrators follow them: the members they may see who have not chosen a
 * password yet, each with their latest invitation (sent when, until when, pending, expired or
 * withdrawn); sending a member a new one (the older links stop working) and withdrawing the open
 * one. A member with a password needs no invitation (`conflict`). Each change is one audited
 * transaction; the email goes after it commits, as when a member is added.
 */
import { TwofoldError } from '../../core/errors.ts';
import { authorize } from '../../core/permissions.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { decodeCursor, pageSize, toPage, type Page, type PageParams } from '../access/pagination.ts';
import { lockMember } from '../access/rowLocks.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { createInvitation, revokeInvitations, sendInvitation } from './invitations.ts';
import { memberTarget } from './memberAccess.ts';

export type InvitationState = 'pending' | 'expired' | 'withdrawn';

export interface InvitedMember {
  readonly memberId: string;
  readonly name: string;
  readonly email: string;
  readonly sentAt: string | null;
  readonly expiresAt: string | null;
  /** `withdrawn` also for a member whose link was closed without a new one (or who never had one). */
  readonly state: InvitationState;
}

/** The members waiting to choose a password whom the caller may see, oldest first. */
export async function listInvitations(ctx: Context, actor: Actor, params: PageParams): Promise<Page<InvitedMember>> {
  const size = pageSize(params.limit);
  const after = decodeCursor(params.cursor);
  const permissions = await loadPermissionActor(ctx.db, actor);
  requireAllowed(permissions, 'member.import', organizationTarget(actor.organizationId));
  let query = ctx.db.selectFrom('members').select(['id', 'name', 'email', 'created_at'])
    .where('organization_id', '=', actor.organizationId).where('password_hash', 'is', null);
  if (permissions.role !== 'master_administrator') {
    const managed = [...permissions.managedGroupIds];
    if (managed.length === 0) return { items: [], nextCursor: null };
    query = query.where('technician_group_id', 'in', managed);
  }
  if (after) {
    query = query.where((eb) => eb.or([eb('created_at', '>', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '>', after.id)])]));
  }
  const rows = await query.orderBy('created_at').orderBy('id').limit(size + 1).execute();
  const now = ctx.clock().getTime();
  return toPage(rows, size, (r) => ({ at: r.created_at, id: r.id }), async (kept) => {
    const ids = kept.map((r) => r.id);
    const invitations = ids.length === 0 ? [] : await ctx.db.selectFrom('invitations').select(['member_id', 'created_at', 'expires_at', 'used_at'])
      .where('member_id', 'in', ids).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    const latest = new Map<string, (typeof invitations)[number]>();
    for (const invitation of invitations) if (!latest.has(invitation.member_id)) latest.set(invitation.member_id, invitation);
    return kept.map((r) => {
      const invitation = latest.get(r.id);
      // A link is spent by its member only together with setting the password, so a closed link of a
      // member who still has none was closed by an administrator.
      const state: InvitationState = !invitation || invitation.used_at !== null ? 'withdrawn' : invitation.expires_at <= now ? 'expired' : 'pending';
      return {
        memberId: r.id, name: r.name, email: r.email, state,
        sentAt: invitation ? new Date(invitation.created_at).toISOString() : null,
        expiresAt: invitation ? new Date(invitation.expires_at).toISOString() : null,
      };
    });
  });
}

/** Sends member `memberId` a new invitation; their older links stop working. */
export async function resendInvitation(ctx: Context, actor: Actor, memberId: string): Promise<{ expiresAt: string; sent: boolean }> {
  const now = ctx.clock();
  const { policy } = await invitableMember(ctx, actor, memberId);
  const { member, invitation } = await ctx.db.transaction().execute(async (trx) => {
    await lockMember(trx, ctx.store.engine, memberId);
    const current = await trx.selectFrom('members').select(['id', 'name', 'email', 'role', 'password_hash', 'language']).where('id', '=', memberId).executeTakeFirst();
    if (!current) throw new TwofoldError('not_found', 'No such member.');
    if (current.password_hash !== null) throw new TwofoldError('conflict', 'This member has chosen a password: they need no invitation.');
    await revokeInvitations(trx, memberId, now);
    const issued = await createInvitation(trx, memberId, now);
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: memberEntityType(current.role), entityId: memberId, entityName: current.name,
      changeType: 'Change', details: { invitation: 'sent', after: { invitationExpiresAt: issued.expiresAt.toISOString() } },
    });
    return { member: current, invitation: issued };
  });
  const sent = await sendInvitation(ctx, member.email, member.language, policy.name, invitation);
  return { expiresAt: invitation.expiresAt.toISOString(), sent };
}

/** Closes member `memberId`'s open invitation: its link stops working; a new one can be sent later. */
export async function withdrawInvitation(ctx: Context, actor: Actor, memberId: string): Promise<void> {
  const now = ctx.clock();
  await invitableMember(ctx, actor, memberId);
  await ctx.db.transaction().execute(async (trx) => {
    await lockMember(trx, ctx.store.engine, memberId);
    const current = await trx.selectFrom('members').select(['name', 'role', 'password_hash']).where('id', '=', memberId).executeTakeFirst();
    if (!current) throw new TwofoldError('not_found', 'No such member.');
    if (current.password_hash !== null) throw new TwofoldError('conflict', 'This member has chosen a password: there is no invitation to withdraw.');
    await revokeInvitations(trx, memberId, now);
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: memberEntityType(current.role), entityId: memberId, entityName: current.name,
      changeType: 'Change', details: { invitation: 'withdrawn' },
    });
  });
}

/** The member, if the caller may change them; unknown, foreign and invisible members look alike. */
async function invitableMember(ctx: Context, actor: Actor, memberId: string) {
  const [permissions, policy] = await Promise.all([loadPermissionActor(ctx.db, actor), loadOrganizationPolicy(ctx.db, actor.organizationId)]);
  const member = await ctx.db.selectFrom('members').selectAll()
    .where('organization_id', '=', actor.organizationId).where('id', '=', memberId).executeTakeFirst();
  const target = member && memberTarget(member, policy.masterAccountHolderId);
  if (!member || !target || !authorize(permissions, 'member.read', target)) throw new TwofoldError('not_found', 'No such member.');
  if (!authorize(permissions, 'member.update', target)) throw new TwofoldError('forbidden', 'You may not invite this member.');
  return { member, policy };
}
