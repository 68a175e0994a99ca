/**
 * Counting password attempts without races. An attempt is counted before its password is hashed, in
 * one database transaction, and the count it got decides: parallel attempts each get their own count,
 * so none passes a limit another already reached (ASVS 6.3.1; never read-then-write). Afterwards the
 * attempt is settled: a right password clears the member's failures and gives back its count against
 * the client's address; a password that was never tried (the hashing threads were busy) gives both
 * back; a wrong one keeps both.
 */
import { clientNetwork } from '../../core/clientNetwork.ts';
import { TwofoldError } from '../../core/errors.ts';
import { verifyPassword } from '../../crypto/passwords.ts';
import type { Db } from '../../storage/database.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import { clearRateLimit, hitRateLimit } from '../../storage/rateLimit.ts';
import type { Context } from '../context.ts';

/** Ten wrong passwords for one member within 15 minutes lock the password for the rest of that window. */
export const PASSWORD_FAILURE_LIMIT = 10;
export const PASSWORD_FAILURE_WINDOW_MS = 15 * 60_000;
/**
 * Failed sign-ins from one client IP within the same 15 minutes, across all emails: the per-member
 * lock does not stop one address trying one password on many members (password spraying), and each
 * try costs an argon2id hash. High enough for an office behind one address, whose members' right
 * passwords do not count.
 */
export const SIGN_IN_FAILURES_PER_IP = 100;

/** The counter of a member's wrong passwords, shared by sign-in and password change. */
export const memberFailureKey = (memberId: string): string => `password-failures:${memberId}`;

interface Counted {
  readonly key: string;
  readonly windowStart: number;
}

export interface PasswordAttempt {
  /** The member's password is locked: refuse even the right one. */
  readonly locked: boolean;
  /** Seconds until the lock ends (0 when not locked). */
  readonly retryAfterSeconds: number;
  /** The password was right: clear the member's failures, give the address its count back. */
  succeeded(): Promise<void>;
  /** The password was not tried (the hash was refused): give both counts back. */
  notTried(): Promise<void>;
}

const giveBack = prepareQuery((db, p: { key: string; windowStart: number }) => db.updateTable('rate_limits')
  .set((eb) => ({ count: eb('count', '-', 1) }))
  .where('key', '=', p.key).where('window_start', '=', p.windowStart).where('count', '>', 0));

/**
 * Counts an attempt at the password behind `key` (a member's, or an unknown email's so that path does
 * the same writes), and against `ip` when given.
 * @throws TwofoldError `rate_limited` when the address is past its limit; that refusal counts nothing.
 */
export async function countPasswordAttempt(ctx: Context, request: { key: string; ip?: string }): Promise<PasswordAttempt> {
  const now = ctx.clock();
  const { member, address } = await ctx.db.transaction().execute(async (trx) => {
    let address: Counted | null = null;
    if (request.ip !== undefined) {
      const key = `sign-in-ip:${clientNetwork(request.ip)}`;
      const hit = await hitRateLimit(trx, key, SIGN_IN_FAILURES_PER_IP, PASSWORD_FAILURE_WINDOW_MS, now);
      if (!hit.allowed) {
        throw new TwofoldError('rate_limited', 'Too many failed sign-ins from this network. Try again later.', {
          retryAfterSeconds: Math.ceil(hit.retryAfterMs / 1000),
        });
      }
      address = { key, windowStart: hit.windowStart };
    }
    const hit = await hitRateLimit(trx, request.key, PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS, now);
    return { member: { key: request.key, windowStart: hit.windowStart, allowed: hit.allowed, retryAfterMs: hit.retryAfterMs }, address };
  });
  const giveAddressBack = (db: Db) => (address ? giveBack.execute(db, address) : undefined);
  return {
    locked: !member.allowed,
    retryAfterSeconds: member.allowed ? 0 : Math.ceil(member.retryAfterMs / 1000),
    // The address's row first, then the member's, as when counting: on PostgreSQL the two row locks
    // are then always taken in one order, so parallel sign-ins cannot deadlock on them.
    async succeeded() {
      await ctx.db.transaction().execute(async (trx) => {
        await giveAddressBack(trx);
        await clearRateLimit(trx, member.key);
      });
    },
    async notTried() {
      await ctx.db.transaction().execute(async (trx) => {
        await giveAddressBack(trx);
        await giveBack.execute(trx, member);
      });
    },
  };
}

/** Ends the count of the member's wrong passwords, and a lock it set (their password was just reset). */
export async function clearPasswordFailures(db: Db, memberId: string): Promise<void> {
  await clearRateLimit(db, memberFailureKey(memberId));
}

/**
 * Checks a signed-in member's own password (a password change, verifying again): counted with their
 * sign-in failures before the hash, so neither a stolen session nor parallel requests can guess it.
 * The answer to a wrong one names `field`.
 * @throws TwofoldError `rate_limited` while the member's password is locked (that refusal counts
 *   nothing), `invalid_credentials` for a wrong password, `busy` when it could not be hashed.
 */
export async function requireOwnPassword(ctx: Context, memberId: string, storedHash: string | null, password: string, field: string): Promise<void> {
  const attempt = await countPasswordAttempt(ctx, { key: memberFailureKey(memberId) });
  if (attempt.locked) {
    await attempt.notTried();
    throw new TwofoldError('rate_limited', 'Too many wrong passwords. Try again later.', { retryAfterSeconds: attempt.retryAfterSeconds });
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

