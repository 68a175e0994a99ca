import type { Kysely } from 'kysely';

/**
 * Forgotten passwords: one pending reset link per member (a new request replaces it), only its SHA-256
 * kept. A member who must use two-step verification completes the reset through a password-change
 * transaction that names the link, and the link is spent when that transaction completes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('password_resets')
    .addColumn('member_id', 'text', (c) => c.primaryKey().references('members.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('transactions').addColumn('password_reset_hash', 'text').execute();
}
