/**
 * The lifecycle states of `core/factorLifecycle.ts` as query conditions, so a query selects "active
 * factors" or "factors being set up here" by name rather than by the columns that encode them.
 */
import type { ExpressionBuilder, JoinBuilder } from 'kysely';
import type { Database } from './schema.ts';

type FactorsEb = ExpressionBuilder<Database, 'factors'>;

/** Active in `epoch`: the factors that count now (older epochs are retired). */
export const activeIn = (epoch: number) => (eb: FactorsEb) => eb.and([eb('epoch', '=', epoch), eb('active', '=', 1)]);

/**
 * Active in the member's organization's current epoch, as a join condition from `members` joined to
 * `organizations`: the same state as `activeIn`, for a query that reads the member and their factors
 * at once. Generic over the other tables in the query (the guard's also holds `sessions`), which
 * Kysely's types cannot require to include those two; the queries using it are tested.
 */
export function activeInOrganizationEpoch<TB extends keyof Database>(join: JoinBuilder<Database, TB>): JoinBuilder<Database, TB> {
  return (join as unknown as JoinBuilder<Database, 'members' | 'organizations' | 'factors'>)
    .onRef('factors.member_id', '=', 'members.id').onRef('factors.epoch', '=', 'organizations.two_step_epoch').on('factors.active', '=', 1) as unknown as JoinBuilder<Database, TB>;
}

/** Being set up or confirmed, in the set-up (transaction id or session scope) `scope`. */
export const pendingIn = (scope: string) => (eb: FactorsEb) => eb.and([eb('setup_transaction_id', '=', scope), eb('active', '=', 0)]);

/** Confirmed (a right response from it) and waiting for Activate in `scope`. */
export const confirmedIn = (scope: string) => (eb: FactorsEb) => eb.and([pendingIn(scope)(eb), eb('confirmed_at', 'is not', null)]);

/** Still being set up in `scope`: bound, no right response from it yet. */
export const beingSetUpIn = (scope: string) => (eb: FactorsEb) => eb.and([pendingIn(scope)(eb), eb('confirmed_at', 'is', null)]);
