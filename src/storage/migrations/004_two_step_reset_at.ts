import type { Kysely } from 'kysely';

/**
 * When the organization last reset everyone (a change of primary method): a session's recent
 * verification from before then was made with factors that no longer count, so it stops counting
 * too, without touching any session (the reset stays one update, whatever the organization's size).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organizations').addColumn('two_step_reset_at', 'bigint').execute();
}
