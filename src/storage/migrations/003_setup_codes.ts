import type { Kysely } from 'kysely';

/**
 * One-time setup codes (docs/security.md S26): an administrator may issue one for a member, and while it is
 * pending that member's first set-up of two-step verification activates only with it, so the password
 * alone does not bind the first factor. One per member (a new one replaces it); only a SHA-256 of the
 * code is kept, and using it deletes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('setup_codes')
    .addColumn('member_id', 'text', (c) => c.primaryKey().references('members.id'))
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
}
