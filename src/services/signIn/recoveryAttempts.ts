/**
 * The limit on recovery codes tried for one member: counted per member so that guesses spread over
 * many sign-ins still stop. Past it, recovery is refused until the window slides, and the member's
 * record shows when; whoever may unlock the member may end it earlier.
 */
import type { Db } from '../../storage/database.ts';
import { clearRateLimit, rateLimitedUntilByKey } from '../../storage/rateLimit.ts';

/**
 * Recovery attempts per member and hour. With 80-bit codes this is not what stops guessing; it keeps
 * someone who has the password from trying code sheets at length, and from flooding the member's
 * inbox (every failure is also counted by the transaction).
 */
export const RECOVERY_ATTEMPTS_PER_HOUR = 10;
export const RECOVERY_WINDOW_MS = 60 * 60_000;

export const recoveryAttemptKey = (memberId: string): string => `recovery:${memberId}`;

/** The members of `memberIds` whose recovery codes are refused now, with when each lock ends. */
export async function recoveryLocks(db: Db, memberIds: readonly string[], now: Date): Promise<Map<string, Date>> {
  const byKey = await rateLimitedUntilByKey(db, memberIds.map(recoveryAttemptKey), RECOVERY_ATTEMPTS_PER_HOUR, RECOVERY_WINDOW_MS, now);
  return new Map(memberIds.flatMap((id) => {
    const until = byKey.get(recoveryAttemptKey(id));
    return until ? [[id, until] as const] : [];
  }));
}

/** Ends the count of the member's recovery attempts, and the lock it set (an administrator unlocked it). */
export async function clearRecoveryAttempts(db: Db, memberId: string): Promise<void> {
  await clearRateLimit(db, recoveryAttemptKey(memberId));
}
