import { sql, type Kysely } from 'kysely';

/**
 * The authenticator app notification (push, docs/push-protocol.md): the device key each push factor was
 * paired with, single-use pairing links, push requests with their outcome, the lock a "Deny and report"
 * sets, and the organization's choice of two or six digits for number matching. New tables and a column
 * with a default only, so nodes of the previous version ignore them during a rolling upgrade.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('push_devices')
    // One device per push factor; deleting the factor (removed, reset, replaced) forgets its key.
    .addColumn('factor_id', 'text', (c) => c.primaryKey().references('factors.id').onDelete('cascade'))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('paired_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('push_pairings')
    // SHA-256 of the link's token, never the token.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('factor_id', 'text', (c) => c.notNull().references('factors.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('push_pairings_factor').on('push_pairings').column('factor_id').execute();

  await db.schema
    .createTable('push_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('factor_id', 'text', (c) => c.notNull().references('factors.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    // The number shown on the sign-in screen, sealed with the request id as associated data.
    .addColumn('number_sealed', 'text', (c) => c.notNull())
    .addColumn('number_digits', 'integer', (c) => c.notNull())
    .addColumn('client_kind', 'text', (c) => c.notNull())
    .addColumn('client_version', 'text')
    .addColumn('ip', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('consumed_at', 'bigint')
    .execute();
  // At most one pending request per member, whatever the races between nodes.
  await sql`CREATE UNIQUE INDEX push_requests_one_pending ON push_requests (member_id) WHERE state = 'pending'`.execute(db);
  await db.schema.createIndex('push_requests_member_created').on('push_requests').columns(['member_id', 'created_at']).execute();
  await db.schema.createIndex('push_requests_scope').on('push_requests').columns(['scope', 'created_at']).execute();
  await db.schema.createIndex('push_requests_factor_state').on('push_requests').columns(['factor_id', 'state']).execute();

  await db.schema
    .createTable('push_locks')
    .addColumn('member_id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('locked_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('organizations').addColumn('push_number_digits', 'integer', (c) => c.notNull().defaultTo(2)).execute();
}
