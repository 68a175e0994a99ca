/**
 * How long records that have served their purpose are kept before housekeeping deletes them
 * (services/housekeeping). Sign-in transactions, sessions, sent codes, set-ups never finished and
 * rate-limit counts are written on every sign-in; kept for ever they would grow the database without
 * end and keep secrets' hashes (an abandoned password change's new password among them) long after
 * anyone could use them. Pure: when a row may go follows from the times it carries.
 */
import { CODE_TTL_MS, TRANSACTION_TTL_MS } from './lockout.ts';

const HOUR_MS = 60 * 60_000;

/**
 * An ended record is kept this long, so a client that comes back to a transaction a little late still
 * hears that it expired (or failed, or completed) rather than that it never existed.
 */
export const KEPT_AFTER_END_MS = 24 * HOUR_MS;

/** No rate limit counts over a longer window, so an attempt counted before that is spent. */
export const LONGEST_RATE_LIMIT_WINDOW_MS = 24 * HOUR_MS;

/** The times before which each kind of record has ended and may be deleted (epoch milliseconds). */
export interface PurgeCutoffs {
  /** Sign-in and password-change transactions that expired before this (completed ones expire too). */
  readonly transactionsExpiredBefore: number;
  /** Sessions created before this: past their absolute lifetime, whatever happened to them since. */
  readonly sessionsCreatedBefore: number;
  /** Emailed and texted codes sent before this. */
  readonly sentCodesCreatedBefore: number;
  /**
   * Factors begun and never confirmed before this: a set-up lasts as long as its sign-in transaction,
   * and pairing from a session as long as that session.
   */
  readonly pendingFactorsCreatedBefore: number;
  /** Password-reset links that expired before this. */
  readonly linksExpiredBefore: number;
  /** Rate-limit attempts counted before this, and rate-limited keys that counted nothing since. */
  readonly rateLimitWindowsStartedBefore: number;
}

export function purgeCutoffs(now: Date, sessionMaxMs: number): PurgeCutoffs {
  const at = now.getTime();
  const ended = at - KEPT_AFTER_END_MS;
  return {
    transactionsExpiredBefore: ended,
    sessionsCreatedBefore: ended - sessionMaxMs,
    sentCodesCreatedBefore: ended - CODE_TTL_MS,
    pendingFactorsCreatedBefore: ended - Math.max(TRANSACTION_TTL_MS, sessionMaxMs),
    linksExpiredBefore: ended,
    rateLimitWindowsStartedBefore: at - LONGEST_RATE_LIMIT_WINDOW_MS,
  };
}

/**
 * How many days an organization keeps its audit events, its own choice within these bounds. A year by
 * default: long enough to look back over a yearly review and what most audit rules ask for. At least
 * 30 days, so no setting (or mistake) can leave a fresh incident without its trail; at most ten years,
 * beyond the longest record-keeping rules an organization usually meets, and a bound on growth.
 */
export const AUDIT_RETENTION_DAYS = { default: 365, minimum: 30, maximum: 3650 } as const;

const DAY_MS = 24 * HOUR_MS;

/** Audit events of an organization that keeps them `retentionDays` and recorded before this may go. */
export function auditEventsRecordedBefore(now: Date, retentionDays: number): number {
  return now.getTime() - retentionDays * DAY_MS;
}
