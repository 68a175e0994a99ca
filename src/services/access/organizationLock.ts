/**
 * Serializes changes to one organization's structure (group moves, the Master Account Holder) inside
 * a transaction. PostgreSQL locks the organization row; SQLite has a single writer already, so a
 * transaction there is serial by itself.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../../storage/database.ts';
import type { Database } from '../../storage/schema.ts';

export async function lockOrganization(trx: Kysely<Database>, engine: Engine, organizationId: string): Promise<void> {
  if (engine !== 'postgres') return;
  await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate().execute();
}
