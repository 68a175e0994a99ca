import type { Kysely } from 'kysely';

/**
 * One row proving which secret key the database was written with (storage/secretKeyCheck.ts), so a
 * node started with another key refuses to start instead of failing every code it cannot read.
 * A new table only: nodes of the previous version ignore it during a rolling upgrade.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('secret_key_check')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mac', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
