/**
 * A factor's lifecycle, named in one place. A factor row does not store its state: it is derived from
 * three columns, and this module is the only one that says how, both for reading a row
 * ({@link factorState}) and for the values each step writes ({@link FACTOR_STEPS}). The queries that
 * select factors by state use the same rules (`storage/factorStates.ts`).
 *
 *   being_set_up ──(a right response from it)──▶ confirmed ──(Activate, or confirmed from a session)──▶ active
 *        │                                                                                                │
 *        └──────── removed when the set-up ends, or replaced by pairing again            retired ◀──(the organization's
 *                                                                                                   epoch moves on: a reset)
 *
 * - being_set_up: bound to a set-up transaction or session scope (`setup_transaction_id`), `active` 0,
 *   `confirmed_at` null. It proves nothing and is offered nowhere.
 * - confirmed: `confirmed_at` set, still `active` 0: possession proven, waiting for Activate.
 * - active: `active` 1 in the organization's current epoch: offered at verification.
 * - retired: `active` 1 in an earlier epoch: a reset ended it; it counts nowhere and the member's next
 *   set-up removes it. (A factor being set up keeps the epoch it was bound in until it is confirmed,
 *   which writes the current one, so only active factors retire.)
 *
 * Pure: no I/O.
 */

export type FactorState = 'being_set_up' | 'confirmed' | 'active' | 'retired';

/** The columns a factor's state is derived from. */
export interface FactorLifecycleFields {
  readonly active: number;
  readonly confirmed_at: number | null;
  readonly epoch: number;
}

/** The state of `factor` while the organization's epoch is `currentEpoch`. */
export function factorState(factor: FactorLifecycleFields, currentEpoch: number): FactorState {
  if (factor.active === 1) return factor.epoch === currentEpoch ? 'active' : 'retired';
  return factor.confirmed_at === null ? 'being_set_up' : 'confirmed';
}

/** The column values each step of the lifecycle writes. */
export const FACTOR_STEPS = {
  /** A new factor, bound to the set-up (transaction id or session scope) it is being set up in. */
  bind: (scope: string, epoch: number) => ({ active: 0, confirmed_at: null, setup_transaction_id: scope, epoch }),
  /** A right response from a factor being set up in a set-up transaction: waiting for Activate. */
  confirm: (now: number) => ({ confirmed_at: now }),
  /** Activate: the transaction's confirmed factors count from now on. */
  activate: () => ({ active: 1, setup_transaction_id: null }),
  /** Confirmed from a signed-in session: confirmed and active at once, in the current epoch. */
  confirmAndActivate: (now: number, epoch: number) => ({ active: 1, confirmed_at: now, setup_transaction_id: null, epoch }),
} as const;
