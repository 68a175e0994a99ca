/**
 * The sign-in transaction as a pure state machine (docs/design.md "The sign-in transaction"):
 *
 * ```
 * password ok ──► complete                      (nothing required)
 *             ├─► setup ──(confirm primary, optional backups)──► activate ──► complete
 *             └─► verify ──(code or push approval)──────────────────────────► complete
 * any state ──(5 wrong codes | 10 minutes)──► failed / expired
 * ```
 * Storage keeps the record and changes it with conditional updates; these functions say what a
 * record means at a given time and which step it allows. Password change runs the same machine.
 */
import { TwofoldError } from './errors.ts';
import { TRANSACTION_MAX_FAILURES, TRANSACTION_TTL_MS } from './lockout.ts';
import type { TransactionPurpose, TransactionState } from './model.ts';

/** The states in which a transaction still waits for the member. */
export type OpenTransactionState = Extract<TransactionState, 'verify' | 'setup'>;

/** What the rules need of a stored transaction. */
export interface TransactionSnapshot {
  readonly state: TransactionState;
  readonly purpose: TransactionPurpose;
  /** Wrong codes entered in this transaction. */
  readonly failures: number;
  readonly expiresAt: Date;
  readonly completedAt: Date | null;
}

/**
 * The state after the password step (docs/design.md "The sign-in transaction"). Not required: `complete`, even if the
 * member still has factors from a time it was required, because the organization's selection decides
 * who uses two-step verification (docs/product-behaviour.md G1); the factors wait for the day it
 * applies again. Required with an active factor: `verify`. Required without one: `setup` (docs/product-behaviour.md
 * "Setting it up": right after the password at the first sign-in where it applies, or after a reset).
 * "Active" means confirmed (docs/security.md S9) and bound in the organization's current epoch.
 */
export function initialState(
  required: boolean,
  hasActiveFactors: boolean,
): Extract<TransactionState, 'complete' | 'setup' | 'verify'> {
  if (!required) return 'complete';
  return hasActiveFactors ? 'verify' : 'setup';
}

/** When a transaction started at `now` expires (10 minutes, docs/design.md "The sign-in transaction"). */
export function transactionExpiresAt(now: Date): Date {
  return new Date(now.getTime() + TRANSACTION_TTL_MS);
}

/**
 * The state of `tx` at `now`, deriving what the stored state may not say yet: an open transaction with
 * {@link TRANSACTION_MAX_FAILURES} failures is `failed`; one at or past `expiresAt` is `expired`; one
 * with `completedAt` set is `complete` (a transaction completes once, docs/design.md "The sign-in transaction"). Failure wins over
 * expiry because the failures happened first.
 */
export function effectiveState(tx: TransactionSnapshot, now: Date): TransactionState {
  if (tx.completedAt !== null) return 'complete';
  if (tx.state !== 'verify' && tx.state !== 'setup') return tx.state;
  if (tx.failures >= TRANSACTION_MAX_FAILURES) return 'failed';
  if (now.getTime() >= tx.expiresAt.getTime()) return 'expired';
  return tx.state;
}

/**
 * The problem a failed or expired transaction answers every request with (reads included), its
 * state in the body; null for any other state.
 */
export function closedTransactionError(state: TransactionState): TwofoldError | null {
  if (state === 'expired') return new TwofoldError('transaction_expired', 'The sign-in attempt has expired. Sign in again.', { state });
  if (state === 'failed') return new TwofoldError('transaction_failed', 'Too many wrong codes. Sign in again.', { state });
  return null;
}

/**
 * Asserts that `tx` may take a step that needs one of `allowedStates` at `now`, and returns its state.
 *
 * @throws TwofoldError `transaction_expired`, `transaction_failed`, `transaction_completed` when the
 *   transaction is over, or `transaction_state` when it is open but in another state (e.g. a code
 *   submitted to a transaction that is still in setup).
 */
export function assertUsable<S extends OpenTransactionState>(
  tx: TransactionSnapshot,
  now: Date,
  allowedStates: readonly S[],
): S {
  const state = effectiveState(tx, now);
  const closed = closedTransactionError(state);
  if (closed) throw closed;
  switch (state) {
    case 'complete':
      throw new TwofoldError('transaction_completed', 'This sign-in attempt is already complete.');
  }
  if (!(allowedStates as readonly TransactionState[]).includes(state)) {
    throw new TwofoldError('transaction_state', `This step is not possible while in ${state}.`, {
      state,
      allowedStates,
    });
  }
  return state as S;
}

