import type { Kysely } from 'kysely';

/**
 * Re-pairing ("Start pairing again"): a factor added from a session may name one of the member's
 * factors it replaces; confirming the new one removes the old in the same database transaction, so a
 * member whose only factor is being re-paired is never left without one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('factors').addColumn('replaces_factor_id', 'text').execute();
}
