/**
 * Counting password attempts without races. An attempt is counted before its password is hashed, in
 * one database transaction holding the address's and then the member's key (storage/rateLimit.ts), so
 * parallel attempts are counted one after another and none passes a limit another already reached
 * (ASVS 6.3.1). The keys are always taken in that order, so parallel sign-ins cannot deadlock on
 * them. Afterwards the
 * attempt is settled: a right password clears the member's failures and gives back its count against
 * the client's address; a password that was never tried (the hashing threads were busy) gives both
 * back; a wrong one keeps both.
 */
import { clientNetwork } from '../../core/clientNetwork.ts';
import { TwofoldError } from '../../core/errors.ts';
import { verifyPassword } from '../../crypto/passwords.ts';
import type { Db } from '../../storage/database.ts';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { clearRateLimit, giveBackHit, giveBackHitAndClear, hitRateLimit, rateLimitReached, rateLimitedUntil, rateLimitedUntilByKey } from '../../storage/rateLimit.ts';
import type { Database } from '../../storage/schema.ts';
import type { Context } from '../context.ts';

/**
 * Ten wrong passwords for one member within any 15 minutes lock the password until the oldest of them
 * is 15 minutes old (a sliding window, storage/rateLimit.ts).
 */
export const PASSWORD_FAILURE_LIMIT = 10;
export const PASSWORD_FAILURE_WINDOW_MS = 15 * 60_000;
/**
 * Failed sign-ins from one client IP within any 15 minutes, across all emails: the per-member lock
 * does not stop one address trying one password on many members (password spraying), and each try
 * costs an argon2id hash. High enough for an office behind one address, whose members' right
 * passwords do not count.
 */
export const SIGN_IN_FAILURES_PER_IP = 100;

/**
 * The one answer wherever the password lock refuses (sign-in, password change, verifying again,
 * set-up from a session), so a client tells a locked password apart from other limits the same way.
 */
export const passwordLockedError = (retryAfterSeconds: number): TwofoldError =>
  new TwofoldError('password_locked', 'Too many wrong passwords. Try again later.', { retryAfterSeconds });

/** The counter of a member's wrong passwords, shared by sign-in and password change. */
export const memberFailureKey = (memberId: string): string => `password-failures:${memberId}`;

export interface PasswordAttempt {
  /** The member's password is locked: refuse even the right one. */
  readonly locked: boolean;
  /** Seconds until the lock ends (0 when not locked). */
  readonly retryAfterSeconds: number;
  /**
   * The password was right: clear the member's failures, give the address its count back. In `trx`
   * when given, to commit with the caller's writes; the caller holds the member's row by then, the
   * order in which every writer takes these rows (a password change, a reset), so none can deadlock.
   */
  succeeded(trx?: Db): Promise<void>;
  /** The password was not tried (the hash was refused): give both counts back. */
  notTried(): Promise<void>;
}

/**
 * Counts an attempt at the password behind `key` (a member's, or an unknown email's so that path does
 * the same writes), and against `ip` when given. An attempt refused by the member's lock is not
 * counted against the member (the lock ends when the attempts that set it leave the window), but it
 * is against the address: it is a failed sign-in.
 * @throws TwofoldError `rate_limited` when the address is past its limit; that refusal counts nothing.
 */
export async function countPasswordAttempt(ctx: Context, request: { key: string; ip?: string }): Promise<PasswordAttempt> {
  const now = ctx.clock();
  const { member, addressHit } = await ctx.db.transaction().execute(async (trx) => {
    let addressHit: string | null = null;
    if (request.ip !== undefined) {
      const hit = await hitRateLimit(trx, `sign-in-ip:${clientNetwork(request.ip)}`, SIGN_IN_FAILURES_PER_IP, PASSWORD_FAILURE_WINDOW_MS, now);
      if (!hit.allowed) {
        throw new TwofoldError('rate_limited', 'Too many failed sign-ins from this network. Try again later.', {
          retryAfterSeconds: Math.ceil(hit.retryAfterMs / 1000),
        });
      }
      addressHit = hit.hitId;
    }
    const member = await hitRateLimit(trx, request.key, PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS, now);
    return { member, addressHit };
  });
  const giveAddressBack = (db: Db) => (addressHit !== null ? giveBackHit(db, addressHit) : undefined);
  const settleRight = (trx: Db) => giveBackHitAndClear(trx, addressHit, request.key);
  return {
    locked: !member.allowed,
    retryAfterSeconds: Math.ceil(member.retryAfterMs / 1000),
    succeeded: (trx) => (trx ? settleRight(trx) : ctx.db.transaction().execute(settleRight)),
    async notTried() {
      await ctx.db.transaction().execute(async (trx) => {
        await giveAddressBack(trx);
        if (member.hitId !== null) await giveBackHit(trx, member.hitId);
      });
    },
  };
}

/** When the member's password lock ends, or null when it is not locked. */
export async function passwordLockedUntil(db: Db, memberId: string, now: Date): Promise<Date | null> {
  return rateLimitedUntil(db, memberFailureKey(memberId), PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS, now);
}

/**
 * Members whose password is locked now, as a condition on `members` (the member search): the rule of
 * {@link passwordLockedUntil}, with the member's key built in SQL from their id.
 */
export function passwordLockedCondition(eb: ExpressionBuilder<Database, 'members'>, now: Date): Expression<SqlBool> {
  const key = sql<string>`${memberFailureKey('')} || ${eb.ref('members.id')}`;
  return rateLimitReached(key, PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS, now);
}

/**
 * The ids of the members whose password is locked now, as a query of `member_id`s, for reports that
 * look at every member: the window's counted attempts read once (`rate_limit_hits_counted`) and
 * grouped by key, the rule of {@link passwordLockedUntil} for all keys at once rather than a lookup
 * per member. Its cost follows the attempts of the last 15 minutes, not the organization's size.
 * Unknown emails' keys give ids no member has.
 */
export function passwordLockedMembers(db: Db, now: Date) {
  const prefix = memberFailureKey('');
  // substr, not LIKE or a range: exact bytes on both engines, whatever PostgreSQL's collation.
  return db.selectFrom('rate_limit_hits')
    .select(sql<string>`substr(key, ${prefix.length + 1})`.as('member_id'))
    .where('counted_at', '>', now.getTime() - PASSWORD_FAILURE_WINDOW_MS)
    .where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix)
    .groupBy('key')
    .having((eb) => eb.fn.countAll(), '>=', PASSWORD_FAILURE_LIMIT);
}

/** The members of `memberIds` whose password is locked now, with when each lock ends (for their records). */
export async function passwordLocks(db: Db, memberIds: readonly string[], now: Date): Promise<Map<string, Date>> {
  const byKey = await rateLimitedUntilByKey(db, memberIds.map(memberFailureKey), PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS, now);
  return new Map(memberIds.flatMap((id) => {
    const until = byKey.get(memberFailureKey(id));
    return until ? [[id, until] as const] : [];
  }));
}

/** Ends the count of the member's wrong passwords, and a lock it set (their password was just reset, or an administrator unlocked it). */
export async function clearPasswordFailures(db: Db, memberId: string): Promise<void> {
  await clearRateLimit(db, memberFailureKey(memberId));
}

/**
 * Checks a signed-in member's own password (a password change, verifying again): counted with their
 * sign-in failures before the hash, so neither a stolen session nor parallel requests can guess it.
 * The answer to a wrong one names `field`.
 * @throws TwofoldError `password_locked` while the member's password is locked (that refusal counts
 *   nothing), `invalid_credentials` for a wrong password, `busy` when it could not be hashed.
 */
export async function requireOwnPassword(ctx: Context, memberId: string, storedHash: string | null, password: string, field: string): Promise<void> {
  const attempt = await countPasswordAttempt(ctx, { key: memberFailureKey(memberId) });
  if (attempt.locked) {
    await attempt.notTried();
    throw passwordLockedError(attempt.retryAfterSeconds);
  }
  let ok: boolean;
  try {
    ok = storedHash !== null && await verifyPassword(storedHash, password);
  } catch (error) {
    await attempt.notTried();
    throw error;
  }
  if (!ok) throw new TwofoldError('invalid_credentials', 'The password is not correct.', { errors: [{ field, message: 'is not correct' }] });
  await attempt.succeeded();
}

