/**
 * Limits on guessing and sending codes, as pure math over counts and times. Storage keeps the counts
 * (one conditional UPDATE each, docs/design.md "Single use and limits without races"); this file decides
 * what a count means.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** Wrong codes one sign-in transaction tolerates before it fails (docs/design.md "The sign-in transaction"). */
export const TRANSACTION_MAX_FAILURES = 5;
/** A sign-in transaction expires this long after the password step (docs/design.md "The sign-in transaction"). */
export const TRANSACTION_TTL_MS = 10 * MINUTE_MS;

/** Every this many consecutive failures on one factor lock it for a while. */
export const FACTOR_LOCK_THRESHOLD = 10;
/** The first lock lasts this long; each further lock doubles it. */
export const FACTOR_BASE_LOCK_MS = 15 * MINUTE_MS;
/**
 * At this many consecutive failures the factor stays locked until an administrator unlocks it or
 * resets the member's two-step verification.
 * docs/security.md S3 (NIST SP 800-63B §3.2.2): at most 100 consecutive failures per member and factor;
 * the timed locks below keep an online guesser far slower than that bound alone would.
 */
export const FACTOR_MAX_CONSECUTIVE_FAILURES = 100;

/** Sent codes (SMS, email) are valid this long: docs/security.md S5 (NIST §3.1.3.2, 10 minutes at most). */
export const CODE_TTL_MS = 10 * MINUTE_MS;
/** A member waits this long between two sends of a code (docs/security.md S18). */
export const RESEND_WAIT_MS = 30 * SECOND_MS;
/** Sends per member within {@link SEND_WINDOW_MS} (docs/security.md S18: cost abuse, harassment). */
export const MAX_SENDS_PER_MEMBER = 5;
/** Sends per client IP within {@link SEND_WINDOW_MS} (docs/security.md S18). */
export const MAX_SENDS_PER_IP = 20;
/** The sliding window both send limits count in: the codes sent in the last fifteen minutes. */
export const SEND_WINDOW_MS = 15 * MINUTE_MS;

/** What one more failure does to a factor: nothing, a timed lock, or a lock until reset. */
export type LockOutcome = { readonly lockedUntil: Date } | { readonly lockedUntilReset: true } | null;

/**
 * The lock a factor gets after a failed code, given its consecutive failure count *including* this
 * failure. Failures 10, 20, …, 90 lock for 15 min, 30 min, 1 h, … (doubling, 64 h at 90); failure 100
 * and beyond locks until an administrator unlocks or resets it; other counts do not lock (`null`).
 * A success clears the count (docs/security.md S3), and sending a new code does not (docs/security.md S4): both are
 * the caller's to store.
 */
export function lockAfterFailure(consecutiveFailures: number, now: Date): LockOutcome {
  if (!Number.isInteger(consecutiveFailures) || consecutiveFailures < 0) {
    throw new RangeError(`consecutiveFailures must be a non-negative integer: ${consecutiveFailures}`);
  }
  if (consecutiveFailures >= FACTOR_MAX_CONSECUTIVE_FAILURES) return { lockedUntilReset: true };
  if (consecutiveFailures === 0 || consecutiveFailures % FACTOR_LOCK_THRESHOLD !== 0) return null;
  const lockNumber = consecutiveFailures / FACTOR_LOCK_THRESHOLD; // 1 for the first lock
  const duration = FACTOR_BASE_LOCK_MS * 2 ** (lockNumber - 1);
  return { lockedUntil: new Date(now.getTime() + duration) };
}

/** Whole seconds until `until`, at least 1 while it lies ahead: for `Retry-After` and error details. */
export function secondsUntil(until: Date, now: Date): number {
  const ms = until.getTime() - now.getTime();
  return ms <= 0 ? 0 : Math.ceil(ms / SECOND_MS);
}
