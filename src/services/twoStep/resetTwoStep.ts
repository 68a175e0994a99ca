/**
 * "Force two-step verification reset" for selected members. Their factors and recovery codes are
 * removed, so at the next sign-in each sets two-step verification up again; a lock from failed codes
 * goes with them.
 * Never shows or chooses the member's secret; audited with who, whom, when and why, and the member
 * is told (docs/security.md S29).
 */
import { TwofoldError } from '../../core/errors.ts';
import { authorize } from '../../core/permissions.ts';
import { twoStepResetNotice } from '../../delivery/messages.ts';
import { loadPermissionActor } from '../access/permissionActor.ts';
import { lockMembers } from '../access/rowLocks.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { notifyMember } from '../notify.ts';
import { dropResetLinks } from '../password/resetLinks.ts';
import { revokeMemberSessions } from '../sessions.ts';
import { endOpenTransactions } from '../signIn/transactionRecord.ts';
import { loadOrganizationPolicy } from './organizationPolicy.ts';
import { activeIn } from '../../storage/factorStates.ts';

export interface ResetRequest {
  readonly memberIds: readonly string[];
  /** Recorded in the audit trail. */
  readonly reason?: string | undefined;
  /** Also end the members' sessions (for a lost or stolen phone). */
  readonly endSessions?: boolean | undefined;
}

export async function resetTwoStep(ctx: Context, actor: Actor, request: ResetRequest): Promise<{ reset: number }> {
  const ids = [...new Set(request.memberIds)];
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  const members = await ctx.db.selectFrom('members').selectAll()
    .where('organization_id', '=', actor.organizationId).where('id', 'in', ids).execute();
  const permission = await loadPermissionActor(ctx.db, actor);
  const found = new Map(members.map((m) => [m.id, m]));
  for (const id of ids) {
    const member = found.get(id);
    const target = member && {
      kind: 'member' as const, organizationId: member.organization_id, id: member.id, role: member.role as Actor['role'],
      technicianGroupId: member.technician_group_id, isMasterAccountHolder: policy.masterAccountHolderId === member.id,
    };
    // Unknown, foreign and invisible members look alike: 404 (the API contract for ids).
    if (!target || !authorize(permission, 'member.read', target)) throw new TwofoldError('not_found', 'No such member.', { memberId: id });
    if (!authorize(permission, 'member.resetTwoStep', target)) throw new TwofoldError('forbidden', 'You may not reset this member\'s two-step verification.', { memberId: id });
  }

  const now = ctx.clock();
  const reset = await ctx.db.transaction().execute(async (trx) => {
    await lockMembers(trx, ctx.store.engine, ids);
    const hadSetUp = new Set((await trx.selectFrom('factors').select('member_id').distinct()
      .where('member_id', 'in', ids).where(activeIn(policy.epoch)).execute()).map((r) => r.member_id));
    await trx.deleteFrom('factors').where('member_id', 'in', ids).execute();
    // Recovery codes stand in for the factors: a reset for a lost phone takes them too.
    await trx.deleteFrom('recovery_codes').where('member_id', 'in', ids).execute();
    // Sign-ins under way were started against the old factors: they end too, and so does a password
    // reset link, which could otherwise set the password and the first factor from the mailbox alone.
    await endOpenTransactions(trx, ids);
    await dropResetLinks(trx, ids);
    // A session's recent verification was made with the factors just removed, perhaps on the lost
    // phone: it no longer counts, so binding a new factor asks for the password. The sessions still
    // count as having verified a factor once (0, not null: see authenticateSession).
    await trx.updateTable('sessions').set({ reauthenticated_at: 0 })
      .where('member_id', 'in', ids).where('reauthenticated_at', '>', 0).execute();
    await trx.updateTable('sessions').set({ password_reverified_at: null })
      .where('member_id', 'in', ids).where('password_reverified_at', 'is not', null).execute();
    for (const member of members) {
      const sessionsEnded = request.endSessions ? await revokeMemberSessions(trx, member.id, now) : 0;
      await audit(trx, now, {
        organizationId: actor.organizationId, actor, entityType: memberEntityType(member.role), entityId: member.id,
        entityName: member.name, changeType: 'Reset',
        details: { what: 'two-step verification', hadTwoStepVerification: hadSetUp.has(member.id), reason: request.reason ?? null, sessionsEnded },
      });
    }
    return hadSetUp.size;
  });
  for (const member of members) {
    await notifyMember(ctx, twoStepResetNotice({ to: member.email, organizationName: policy.name, at: now, resetBy: actor.name, language: member.language }));
  }
  return { reset };
}
