/**
 * The password step of signing in, the same for the website and the Technician Console. Unknown
 * email, wrong password, disabled member and locked member give one answer with the same work done
 * (an argon2id verification every time), so none can be told apart from outside (security.md 24).
 */
import { TwofoldError } from '../../core/errors.ts';
import type { ClientInfo } from '../../core/model.ts';
import { verifyAgainstDummy, verifyPassword } from '../../crypto/passwords.ts';
import { hashToken } from '../../crypto/tokens.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { MemberRow } from '../../storage/schema.ts';
import { clearRateLimit, hitRateLimit } from '../../storage/rateLimit.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Context } from '../context.ts';
import { normalizeEmail } from '../members/email.ts';
import { beginTransaction, type BeginResult } from './begin.ts';

/** Ten wrong passwords within 15 minutes lock the password step for the rest of that window. */
export const PASSWORD_FAILURE_LIMIT = 10;
export const PASSWORD_FAILURE_WINDOW_MS = 15 * 60_000;
/**
 * Failed sign-ins from one client IP within the same 15 minutes, across all emails: the per-member
 * lock does not stop one address trying one password on many members (password spraying), and each
 * try costs an argon2id hash. High enough for an office behind one address, whose members' successful
 * sign-ins do not count.
 */
export const SIGN_IN_FAILURES_PER_IP = 100;

export interface SignInRequest {
  readonly email: string;
  readonly password: string;
  readonly client: ClientInfo;
  readonly ip: string;
}

const INVALID = 'The email or password is not correct.';

const memberByEmail = prepareQuery((db, p: { email: string }) => db.selectFrom('members').selectAll().where('email', '=', p.email));
const failureCount = prepareQuery((db, p: { key: string }) => db.selectFrom('rate_limits').select(['count', 'window_start']).where('key', '=', p.key));

const refundAttempt = prepareQuery((db, p: { key: string; windowStart: number }) => db.updateTable('rate_limits')
  .set((eb) => ({ count: eb('count', '-', 1) }))
  .where('key', '=', p.key).where('window_start', '=', p.windowStart).where('count', '>', 0));

export async function signIn(ctx: Context, request: SignInRequest): Promise<BeginResult> {
  const ipWindow = await countAttemptFromIp(ctx, request.ip);
  let member: MemberRow;
  try {
    member = await passwordStep(ctx, request);
  } catch (error) {
    // A password that was not tried (refused as `busy` by the hashing threads, say) gives its count back.
    if (!(error instanceof TwofoldError && error.code === 'invalid_credentials')) await refundAttempt.execute(ctx.db, ipWindow);
    throw error;
  }
  // The right password: the attempt counted against the address is given back (if its window is
  // still the current one).
  await refundAttempt.execute(ctx.db, ipWindow);
  return beginTransaction(ctx, { member, purpose: 'sign_in', client: request.client, ip: request.ip });
}

/** The member whose password this is, or `invalid_credentials` for every kind of refusal alike. */
async function passwordStep(ctx: Context, request: SignInRequest): Promise<MemberRow> {
  const member = await memberByEmail.first(ctx.db, { email: normalizeEmail(request.email) });
  if (!member || member.password_hash === null) {
    await verifyAgainstDummy(request.password);
    // Counted like a known member's failure, so this path costs the same work and a write too.
    await hitRateLimit(ctx.db, `password-failures:unknown:${hashToken(normalizeEmail(request.email))}`,
      PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS, ctx.clock());
    throw new TwofoldError('invalid_credentials', INVALID);
  }
  const failureKey = `password-failures:${member.id}`;
  const [passwordOk, failures] = await Promise.all([
    verifyPassword(member.password_hash, request.password),
    recentPasswordFailures(ctx, failureKey),
  ]);
  const locked = failures >= PASSWORD_FAILURE_LIMIT;
  if (!passwordOk || locked || member.enabled !== 1) {
    // Every refusal does the same writes, so a disabled or locked member is not told apart by timing.
    await hitRateLimit(ctx.db, failureKey, PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS, ctx.clock());
    await audit(ctx.db, ctx.clock(), {
      organizationId: member.organization_id, actor: { id: null, name: 'Sign-in', ip: request.ip },
      entityType: memberEntityType(member.role), entityId: member.id, entityName: member.name,
      changeType: 'SignInFailed', details: { reason: !passwordOk ? 'password' : locked ? 'locked' : 'disabled' },
    });
    throw new TwofoldError('invalid_credentials', INVALID);
  }
  if (failures > 0) await clearRateLimit(ctx.db, failureKey);
  return member;
}

/**
 * Counts a sign-in attempt against the client's address before its password is hashed, refusing it
 * past the limit without the hash. Counted first, so parallel attempts cannot all pass the limit; a
 * right password gives its count back. A refused attempt counts nothing (the rollback undoes it).
 */
async function countAttemptFromIp(ctx: Context, ip: string): Promise<{ key: string; windowStart: number }> {
  const key = `sign-in-ip:${ip}`;
  return ctx.db.transaction().execute(async (trx) => {
    const limit = await hitRateLimit(trx, key, SIGN_IN_FAILURES_PER_IP, PASSWORD_FAILURE_WINDOW_MS, ctx.clock());
    if (!limit.allowed) {
      throw new TwofoldError('rate_limited', 'Too many failed sign-ins from this network. Try again later.', {
        retryAfterSeconds: Math.ceil(limit.retryAfterMs / 1000),
      });
    }
    return { key, windowStart: limit.windowStart };
  });
}

/** Wrong passwords in the current window (0 when none, or the window has passed). */
async function recentPasswordFailures(ctx: Context, key: string): Promise<number> {
  const row = await failureCount.first(ctx.db, { key });
  return row !== undefined && row.window_start > ctx.clock().getTime() - PASSWORD_FAILURE_WINDOW_MS ? Number(row.count) : 0;
}
