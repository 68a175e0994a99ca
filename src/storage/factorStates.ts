/**
 * The lifecycle states of `core/factorLifecycle.ts` as query conditions, so a query selects "active
 * factors" or "factors being set up here" by name rather than by the columns that encode them.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database } from './schema.ts';

type FactorsEb = ExpressionBuilder<Database, 'factors'>;

/** Active in `epoch`: the factors that count now (older epochs are retired). */
export const activeIn = (epoch: number) => (eb: FactorsEb) => eb.and([eb('epoch', '=', epoch), eb('active', '=', 1)]);

/** Being set up or confirmed, in the set-up (transaction id or session scope) `scope`. */
export const pendingIn = (scope: string) => (eb: FactorsEb) => eb.and([eb('setup_transaction_id', '=', scope), eb('active', '=', 0)]);

/** Confirmed (a right response from it) and waiting for Activate in `scope`. */
export const confirmedIn = (scope: string) => (eb: FactorsEb) => eb.and([pendingIn(scope)(eb), eb('confirmed_at', 'is not', null)]);

/** Still being set up in `scope`: bound, no right response from it yet. */
export const beingSetUpIn = (scope: string) => (eb: FactorsEb) => eb.and([pendingIn(scope)(eb), eb('confirmed_at', 'is', null)]);
