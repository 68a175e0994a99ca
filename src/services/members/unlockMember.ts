/**
 * Unlocking a member before their locks end: the password lock that too many wrong passwords set, and
 * the factors that too many wrong codes locked (also those locked until an administrator acts). The
 * factors stay, unlike a two-step verification reset: the member lost no phone, someone guessed. Allowed
 * to whoever may reset the member's two-step verification, and audited with the locks before and after.
 */
import { TwofoldError } from '../../core/errors.ts';
import { authorize } from '../../core/permissions.ts';
import type { Db } from '../../storage/database.ts';
import { loadPermissionActor } from '../access/permissionActor.ts';
import { lockMember } from '../access/rowLocks.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { clearRateLimit } from '../../storage/rateLimit.ts';
import { clearPasswordFailures, passwordLockedUntil } from '../signIn/passwordAttempts.ts';
import { confirmAttemptKey } from '../myFactors/manageFactors.ts';
import { clearRecoveryAttempts, recoveryLocks } from '../signIn/recoveryAttempts.ts';
import { isFactorLocked } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { memberTarget } from './memberAccess.ts';
import { toMemberRecord, type MemberRecord } from './memberRecord.ts';

/**
 * Which locks to end: the password's, the factors' (with the limit on confirming a new one), recovery's,
 * push's after a reported request, or all.
 */
export type UnlockWhat = 'password' | 'factors' | 'recovery' | 'push' | 'all';

/** The locks a member has at one moment, as the audit trail records them. */
interface Locks {
  readonly passwordLockedUntil: string | null;
  readonly recoveryLockedUntil: string | null;
  /** Push locked after the member reported a request ("Deny and report"). */
  readonly pushLocked: boolean;
  /** Locked factors, each with when it unlocks or `reset` when only an administrator unlocks it. */
  readonly factors: ReadonlyArray<{ readonly id: string; readonly type: string; readonly lockedUntil: string }>;
}

/**
 * Ends the member's locks named by `what`, and answers their record.
 * @throws TwofoldError `not_found` for a member the caller may not see, `forbidden` for one whose
 *   two-step verification the caller may not reset.
 */
export async function unlockMember(ctx: Context, actor: Actor, memberId: string, what: UnlockWhat): Promise<MemberRecord> {
  // Refused before anything is locked when the caller plainly may not.
  await unlockableMember(ctx.db, actor, memberId);
  const now = ctx.clock();
  const { member, policy } = await ctx.db.transaction().execute(async (trx) => {
    // Under the member's row, as every change of their credentials: a code counted meanwhile waits.
    await lockMember(trx, ctx.store.engine, memberId);
    // Judged again on the member as they are now: moved to a group the caller does not administer,
    // promoted, or deleted since the first look changes the answer.
    const current = await unlockableMember(trx, actor, memberId);
    const before = await locksOf(trx, memberId, now);
    if (what === 'password' || what === 'all') await clearPasswordFailures(trx, memberId);
    if (what === 'recovery' || what === 'all') await clearRecoveryAttempts(trx, memberId);
    if (what === 'push' || what === 'all') await trx.deleteFrom('push_locks').where('member_id', '=', memberId).execute();
    if (what === 'factors' || what === 'all') {
      // Codes tried for a method being added are limited per factor; they end with the factors' locks.
      const factorIds = (await trx.selectFrom('factors').select('id').where('member_id', '=', memberId).execute()).map((f) => f.id);
      for (const id of factorIds) await clearRateLimit(trx, confirmAttemptKey(id));
      // The count goes too: a factor left at its failures would lock again at the next wrong code.
      await trx.updateTable('factors').set({ failures: 0, locked_until: null, locked_until_reset: 0 })
        .where('member_id', '=', memberId)
        .where((eb) => eb.or([eb('failures', '>', 0), eb('locked_until', 'is not', null), eb('locked_until_reset', '=', 1)]))
        .execute();
    }
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: memberEntityType(current.member.role), entityId: memberId,
      entityName: current.member.name, changeType: 'Unlock',
      details: { what, before, after: await locksOf(trx, memberId, now) },
    });
    return current;
  });
  return toMemberRecord(ctx.db, member, policy, now);
}

/** The member, if the caller may unlock them; else the refusal, read from `db` as it is now. */
async function unlockableMember(db: Db, actor: Actor, memberId: string) {
  const policy = await loadOrganizationPolicy(db, actor.organizationId);
  const member = await db.selectFrom('members').selectAll()
    .where('organization_id', '=', actor.organizationId).where('id', '=', memberId).executeTakeFirst();
  const permission = await loadPermissionActor(db, actor);
  const target = member && memberTarget(member, policy.masterAccountHolderId);
  // Unknown, foreign and invisible members look alike; the right to reset is the right to unlock.
  if (!member || !target || !authorize(permission, 'member.read', target)) throw new TwofoldError('not_found', 'No such member.');
  if (!authorize(permission, 'member.resetTwoStep', target)) throw new TwofoldError('forbidden', 'You may not unlock this member.');
  return { member, policy };
}

async function locksOf(db: Db, memberId: string, now: Date): Promise<Locks> {
  const until = await passwordLockedUntil(db, memberId, now);
  const recoveryUntil = (await recoveryLocks(db, [memberId], now)).get(memberId);
  const factors = await db.selectFrom('factors').select(['id', 'type', 'locked_until', 'locked_until_reset'])
    .where('member_id', '=', memberId).orderBy('created_at').execute();
  return {
    passwordLockedUntil: until?.toISOString() ?? null,
    recoveryLockedUntil: recoveryUntil?.toISOString() ?? null,
    pushLocked: (await db.selectFrom('push_locks').select('member_id').where('member_id', '=', memberId).executeTakeFirst()) !== undefined,
    factors: factors.filter((f) => isFactorLocked(f, now)).map((f) => ({
      id: f.id, type: f.type, lockedUntil: f.locked_until_reset === 1 ? 'reset' : new Date(f.locked_until!).toISOString(),
    })),
  };
}
