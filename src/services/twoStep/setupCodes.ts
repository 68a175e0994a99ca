/**
 * One-time setup codes (docs/security.md S26). Setting two-step verification up after the password alone
 * (the reference product's flow) lets whoever holds the password bind the first factor. An
 * administrator who can reset a member's two-step verification may therefore issue a setup code for
 * them, to hand over by another channel (in person, by phone); while it is pending, the member's
 * set-up activates only with it, and using it deletes it. It has the recovery codes' form and strength
 * (80 random bits, only a SHA-256 kept), can be used for 72 hours, and a new one replaces the old.
 * An expired one still holds the set-up back until an administrator issues a new one.
 */
import { randomBytes } from 'node:crypto';
import { TwofoldError } from '../../core/errors.ts';
import { authorize } from '../../core/permissions.ts';
import { RECOVERY_CODE_BYTES, formatRecoveryCode, hashRecoveryCode, matchRecoveryCode } from '../../crypto/recoveryCodes.ts';
import { setupCodeIssuedNotice } from '../../delivery/messages.ts';
import type { Db } from '../../storage/database.ts';
import type { MemberRow } from '../../storage/schema.ts';
import { loadPermissionActor } from '../access/permissionActor.ts';
import { lockMember } from '../access/rowLocks.ts';
import { audit, memberEntityType } from '../audit.ts';
import { memberTarget } from '../members/memberAccess.ts';
import type { Actor, Context } from '../context.ts';
import { notifyMember } from '../notify.ts';
import { isTwoStepRequired } from './memberTwoStep.ts';
import { loadOrganizationPolicy, type OrganizationPolicy } from './organizationPolicy.ts';
import { activeIn } from '../../storage/factorStates.ts';

export const SETUP_CODE_VALID_MS = 72 * 3_600_000;

/** Issues a new setup code for `memberId`, replacing any pending one; the code is in this answer only. */
export async function issueSetupCode(ctx: Context, actor: Actor, memberId: string): Promise<{ setupCode: string; expiresAt: string }> {
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  const member = await ctx.db.selectFrom('members').selectAll()
    .where('organization_id', '=', actor.organizationId).where('id', '=', memberId).executeTakeFirst();
  const permission = await loadPermissionActor(ctx.db, actor);
  const target = member && memberTarget(member, policy.masterAccountHolderId);
  // Unknown, foreign and invisible members look alike; the right to reset is the right to issue.
  if (!member || !target || !authorize(permission, 'member.read', target)) throw new TwofoldError('not_found', 'No such member.');
  if (!authorize(permission, 'member.resetTwoStep', target)) throw new TwofoldError('forbidden', 'You may not issue a setup code for this member.');

  const setupCode = formatRecoveryCode(randomBytes(RECOVERY_CODE_BYTES));
  const now = ctx.clock();
  const expiresAt = now.getTime() + SETUP_CODE_VALID_MS;
  await ctx.db.transaction().execute(async (trx) => {
    await lockMember(trx, ctx.store.engine, member.id);
    await trx.deleteFrom('setup_codes').where('member_id', '=', member.id).execute();
    await trx.insertInto('setup_codes').values({
      member_id: member.id, organization_id: member.organization_id, code_hash: hashRecoveryCode(setupCode),
      created_at: now.getTime(), expires_at: expiresAt, created_by: actor.id,
    }).execute();
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: memberEntityType(member.role), entityId: member.id,
      entityName: member.name, changeType: 'Add', details: { what: 'setup code', expiresAt },
    });
  });
  await notifyMember(ctx, setupCodeIssuedNotice({ to: member.email, organizationName: policy.name, at: now, issuedBy: actor.name, language: member.language }));
  return { setupCode, expiresAt: new Date(expiresAt).toISOString() };
}

/**
 * Whether the member has a setup code issued and not used, so their set-up needs it. An expired one
 * still counts, and cannot be used: the set-up waits for a new one rather than going on without.
 */
export async function setupCodePending(db: Db, memberId: string): Promise<boolean> {
  const row = await db.selectFrom('setup_codes').select('member_id').where('member_id', '=', memberId).executeTakeFirst();
  return row !== undefined;
}

/**
 * While a setup code is pending, the first factor of a member who must use two-step verification is
 * bound only by a set-up that uses it: from a session, whoever holds it (on the lost phone, say) and
 * the password could otherwise bind one beside the code. A member who still has a factor adds others
 * from a session as before, and so does one who need not use it (their sign-in has no set-up the code
 * could be used in).
 * @throws TwofoldError `setup_code_required` when a code is pending and the member has no factor.
 */
export async function refuseFirstFactorBesideSetupCode(
  db: Db, member: { readonly id: string } & Pick<MemberRow, 'role' | 'technician_group_id'>, policy: OrganizationPolicy,
): Promise<void> {
  if (!await setupCodePending(db, member.id) || !await isTwoStepRequired(db, member, policy)) return;
  const factor = await db.selectFrom('factors').select('id')
    .where('member_id', '=', member.id).where(activeIn(policy.epoch)).executeTakeFirst();
  if (factor) return;
  throw new TwofoldError('setup_code_required', 'An administrator issued a one-time setup code for you: sign in again and set two-step verification up with it.');
}

/**
 * Uses the member's pending setup code if `input` is it: one conditional delete, so a code is used
 * once even by parallel requests. False for a wrong, expired or used code.
 */
export async function useSetupCode(db: Db, memberId: string, input: string, now: Date): Promise<boolean> {
  const row = await db.selectFrom('setup_codes').select('code_hash')
    .where('member_id', '=', memberId).where('expires_at', '>', now.getTime()).executeTakeFirst();
  if (!row || matchRecoveryCode(input, [row.code_hash]) === null) return false;
  const used = await db.deleteFrom('setup_codes')
    .where('member_id', '=', memberId).where('code_hash', '=', row.code_hash).executeTakeFirst();
  return Number(used.numDeletedRows) === 1;
}
