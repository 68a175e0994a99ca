import type { Kysely } from 'kysely';

/**
 * Each sent code records its member and the client network that asked for it, so the send limits
 * count the codes actually sent in the last fifteen minutes (a sliding window) rather than a fixed
 * window's counter, which let twice the limit through across a window's edge.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sent_codes').addColumn('member_id', 'text').execute();
  await db.schema.alterTable('sent_codes').addColumn('client_network', 'text').execute();
  await db.schema.createIndex('sent_codes_member_sent').on('sent_codes').columns(['member_id', 'created_at']).execute();
  await db.schema.createIndex('sent_codes_network_sent').on('sent_codes').columns(['client_network', 'created_at']).execute();
}
