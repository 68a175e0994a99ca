import type { Kysely } from 'kysely';

/**
 * Indexes for housekeeping and for set-up. Transactions are found by the time they expire at, and
 * rate-limit counts by the time their window began, so deleting ended ones reads only those; both
 * times grow, so each new entry lands at the index's end. Factors being set up are found by their
 * set-up (a sign-in transaction, or a session): every step of a set-up looks them up, which without
 * an index read every factor of every organization.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('transactions_expires').on('transactions').column('expires_at').execute();
  await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_start').execute();
  await db.schema.createIndex('factors_setup').on('factors').column('setup_transaction_id').execute();
}
