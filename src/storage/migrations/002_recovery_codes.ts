import type { Kysely } from 'kysely';

/**
 * Recovery codes (docs/security.md S10). Like factors they carry the organization's two-step epoch when
 * issued, so changing the primary method retires them with everything else in one update; only a
 * SHA-256 of each code is kept, and `used_at` makes each one single use by a conditional update.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('epoch', 'integer', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  // Every read is "this member's codes in this epoch".
  await db.schema.createIndex('recovery_codes_member').on('recovery_codes').columns(['member_id', 'epoch']).execute();
}
