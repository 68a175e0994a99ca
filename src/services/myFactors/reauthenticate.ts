/**
 * Verifying again inside a session, before changing factors (docs/security.md S25, S28; docs/product-behaviour.md
 * "Beyond the reference product": an open session is not enough to swap a member's factors). A code from one of the member's factors
 * marks the session as recently verified for {@link REAUTHENTICATION_VALID_MS}. A member with no
 * factor (never set up, or reset since) verifies with their password instead: the session alone, which
 * may have been taken, is never enough to bind a first factor.
 */
import type { ResponseInput } from '../../methods/method.ts';
import { TwofoldError } from '../../core/errors.ts';
import { startChallenge } from '../../methods/registry.ts';
import { hitRateLimit } from '../../storage/rateLimit.ts';
import type { FactorRow } from '../../storage/schema.ts';
import { lockMember } from '../access/rowLocks.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { acceptCode, applyFactorLock, countFactorFailure, factorLockedError } from '../signIn/attempts.ts';
import { requireOwnPassword } from '../signIn/passwordAttempts.ts';
import type { Db } from '../../storage/database.ts';
import { activeFactors } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';

export const REAUTHENTICATION_VALID_MS = 10 * 60_000;
const ATTEMPTS_PER_WINDOW = 5;

/** Codes for re-verification are scoped to the session, so they complete nothing else (docs/security.md S6). */
export const sessionScope = (actor: Actor): string => `session:${actor.sessionId}`;

async function ownFactor(ctx: Context, actor: Actor, factorId: string): Promise<{ factor: FactorRow; organizationName: string }> {
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  const factor = (await activeFactors(ctx.db, actor.id, policy.epoch)).find((f) => f.id === factorId);
  if (!factor) throw new TwofoldError('not_found', 'No such factor.');
  return { factor, organizationName: policy.name };
}

export interface ReauthenticationChallenge {
  readonly expiresAt: string;
  /** For a push factor: the request sent to the device, with the number the account page shows. */
  readonly pushRequest?: { readonly id: string; readonly number: string; readonly expiresAt: string };
}

/**
 * A code to an SMS or email factor, or a push request to a paired authenticator app, scoped to this
 * session: its approval verifies this session again and completes nothing else. The push rules are
 * sign-in's (one pending at a time, fatigue pause, report lock), applied by the push request itself.
 */
export async function sendReauthenticationCode(ctx: Context, actor: Actor, factorId: string): Promise<ReauthenticationChallenge> {
  const { factor, organizationName } = await ownFactor(ctx, actor, factorId);
  const challenge = await startChallenge(ctx, { factor, scope: sessionScope(actor), organizationName, purpose: 'sign_in', ip: actor.ip, client: actor.client });
  if (challenge.kind === 'push_sent') {
    const expiresAt = challenge.expiresAt.toISOString();
    return { expiresAt, pushRequest: { id: challenge.requestId, number: challenge.number, expiresAt } };
  }
  if (challenge.kind !== 'code_sent') throw new TwofoldError('method_unavailable', 'This factor does not receive codes.');
  return { expiresAt: challenge.expiresAt.toISOString() };
}

/** Verifies again with a code, or with the id of a push request of this session the device approved (used once). */
export async function reauthenticate(ctx: Context, actor: Actor, factorId: string, response: ResponseInput): Promise<{ validUntil: string }> {
  const { factor } = await ownFactor(ctx, actor, factorId);
  const now = ctx.clock();
  const limit = await hitRateLimit(ctx.db, `reauth:${actor.sessionId}`, ATTEMPTS_PER_WINDOW, REAUTHENTICATION_VALID_MS, now);
  if (!limit.allowed) throw new TwofoldError('rate_limited', 'Too many codes were tried. Wait and try again.', { retryAfterSeconds: Math.ceil(limit.retryAfterMs / 1000) });
  await attemptInSession(ctx, actor, factor, response, (trx) =>
    trx.updateTable('sessions').set({ reauthenticated_at: now.getTime() }).where('id', '=', actor.sessionId).execute());
  return { validUntil: new Date(now.getTime() + REAUTHENTICATION_VALID_MS).toISOString() };
}

/**
 * Verifying again with the password, for a member who has no factor to verify with. Wrong passwords
 * count with wrong sign-in passwords (ten lock both).
 */
export async function reauthenticateWithPassword(ctx: Context, actor: Actor, password: string): Promise<{ validUntil: string }> {
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  if ((await activeFactors(ctx.db, actor.id, policy.epoch)).length > 0) {
    throw new TwofoldError('method_not_allowed', 'Verify with one of your methods: the password alone is accepted only while you have none.');
  }
  const member = await ctx.db.selectFrom('members').select('password_hash').where('id', '=', actor.id).executeTakeFirstOrThrow();
  await requireOwnPassword(ctx, actor.id, member.password_hash, password, 'body/password');
  const now = ctx.clock().getTime();
  // Not `reauthenticated_at`: that says the session verified a factor, and a password-only session
  // given the password again must still end once the member has to use two-step verification.
  await ctx.db.updateTable('sessions').set({ password_reverified_at: now }).where('id', '=', actor.sessionId).execute();
  return { validUntil: new Date(now + REAUTHENTICATION_VALID_MS).toISOString() };
}

/**
 * One code attempt against a member's own factor from their session, with the factor's lock rules,
 * and `onSuccess` in the same database transaction as consuming the code.
 */
export async function attemptInSession(
  ctx: Context, actor: Actor, factor: FactorRow, response: ResponseInput, onSuccess: (trx: Db) => Promise<unknown>,
): Promise<void> {
  const now = ctx.clock();
  const failure = await ctx.db.transaction().execute(async (trx) => {
    await lockMember(trx, ctx.store.engine, actor.id);
    if (await acceptCode(ctx, trx, factor, response, sessionScope(actor), now)) {
      await onSuccess(trx);
      return null;
    }
    const failures = await countFactorFailure(trx, factor.id, now.getTime());
    if (failures === null) throw await factorLockedError(ctx, trx, factor.id);
    // Audited like a wrong code at sign-in: someone holding the session may be guessing.
    await audit(trx, now, {
      organizationId: actor.organizationId, actor: { id: actor.id, name: actor.name, ip: actor.ip },
      entityType: memberEntityType(actor.role), entityId: actor.id, entityName: actor.name,
      changeType: 'VerifyFailed', details: { factorId: factor.id, factorType: factor.type, purpose: 'reauthenticate', client: actor.client.kind },
    });
    await applyFactorLock(ctx, trx, factor, failures, { organizationId: actor.organizationId, memberId: actor.id, ip: actor.ip });
    return new TwofoldError('invalid_code', 'The code is not correct or has expired.');
  });
  if (failure) throw failure;
}

/**
 * Throws `reauthentication_required` unless this session verified again within the last ten minutes:
 * with a factor, or with the password while the member has none.
 */
export async function requireRecentVerification(ctx: Context, actor: Actor): Promise<void> {
  const session = await ctx.db.selectFrom('sessions').select(['reauthenticated_at', 'password_reverified_at']).where('id', '=', actor.sessionId).executeTakeFirst();
  // Ended since the guard let the request in (signed out, or the member deleted): said as the guard would.
  if (!session) throw new TwofoldError('unauthenticated', 'Sign in again.');
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  let at = session?.reauthenticated_at ?? null;
  // The password counts only while the member has no factor: once one is bound (perhaps by the member
  // themselves, with a setup code, while this session was on a lost phone) only a factor does.
  const byPassword = session?.password_reverified_at ?? null;
  if (byPassword !== null && (at === null || byPassword > at) && (await activeFactors(ctx.db, actor.id, policy.epoch)).length === 0) {
    at = byPassword;
  }
  // A verification made before the organization reset everyone was made with factors that no longer count.
  const resetAt = policy.twoStepResetAt;
  if (at === null || (resetAt !== null && at <= resetAt) || ctx.clock().getTime() - at > REAUTHENTICATION_VALID_MS) {
    throw new TwofoldError('reauthentication_required', 'Verify again first (POST /api/v1/me/reauthentication: with one of your methods, or your password while you have none).');
  }
}
