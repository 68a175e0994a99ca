import type { Kysely } from 'kysely';

/**
 * A session's re-verification with the password (allowed while its member has no factor) is kept
 * apart from `reauthenticated_at`, which says the session verified a second factor: a session that
 * only ever gave the password must still end once its member has to use two-step verification.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('password_reverified_at', 'bigint').execute();
}
