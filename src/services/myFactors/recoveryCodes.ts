/**
 * A member's own recovery codes, from a session: how many are left, and a new set that replaces the
 * old. A new set is a new way in, so it needs a recent verification like adding a factor (docs/security.md
 * S28), is audited, and the member is told by email (docs/security.md S10, S25).
 */
import { TwofoldError } from '../../core/errors.ts';
import { recoveryCodesIssuedNotice } from '../../delivery/messages.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { notifyMember } from '../notify.ts';
import { activeFactors } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { recoveryCodesLeft, replaceRecoveryCodes } from '../twoStep/recoveryCodeStore.ts';
import { requireRecentVerification } from './reauthenticate.ts';
import { lockMember } from '../access/rowLocks.ts';
import { memberLanguage } from '../members/memberLanguage.ts';

export interface RecoveryCodeStatus {
  /** Unused codes that count now (current epoch). */
  readonly remaining: number;
  /** When the current set was made, or null when the member has none. */
  readonly createdAt: string | null;
}

/** How many of the member's recovery codes are left; never the codes themselves. */
export async function recoveryCodeStatus(ctx: Context, actor: Actor): Promise<RecoveryCodeStatus> {
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  const { remaining, createdAt } = await recoveryCodesLeft(ctx.db, actor.id, policy.epoch);
  return { remaining, createdAt: createdAt === null ? null : new Date(createdAt).toISOString() };
}

/** Replaces the member's recovery codes with a new set, returned this once. */
export async function regenerateRecoveryCodes(ctx: Context, actor: Actor): Promise<{ recoveryCodes: string[] }> {
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  // Codes stand in for a factor; without one they would let a password-only session mint a way
  // past the factor the member sets up later. Said first: verifying again would not change it.
  if ((await activeFactors(ctx.db, actor.id, policy.epoch)).length === 0) {
    throw new TwofoldError('conflict', 'Set up a two-step verification method before creating recovery codes.');
  }
  await requireRecentVerification(ctx, actor);
  const now = ctx.clock();
  const recoveryCodes = await ctx.db.transaction().execute(async (trx) => {
    // Two parallel requests must not both delete the old set and both insert: the member's row
    // orders them (SQLite has one writer already).
    await lockMember(trx, ctx.store.engine, actor.id);
    const codes = await replaceRecoveryCodes(trx, { memberId: actor.id, organizationId: actor.organizationId, epoch: policy.epoch }, now);
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: 'recovery_codes', entityId: actor.id, entityName: actor.name,
      changeType: 'Add', details: { memberId: actor.id, count: codes.length, during: 'session' },
    });
    return codes;
  });
  await notifyMember(ctx, recoveryCodesIssuedNotice({
    to: actor.email, organizationName: policy.name, at: now, count: recoveryCodes.length, language: await memberLanguage(ctx.db, actor.id),
  }));
  return { recoveryCodes };
}
