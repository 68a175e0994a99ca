/**
 * Row locks that order concurrent changes inside a transaction. PostgreSQL locks the row; SQLite has
 * a single writer already, so a transaction there is serial by itself.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../../storage/database.ts';
import type { Database } from '../../storage/schema.ts';

/** Serializes changes to one organization's structure (group moves, the Master Account Holder). */
export async function lockOrganization(trx: Kysely<Database>, engine: Engine, organizationId: string): Promise<void> {
  if (engine !== 'postgres') return;
  await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate().execute();
}

/**
 * Serializes changes to one member's credentials (factors, recovery codes, password). Taken first,
 * before any other row of the member's, so two such changes never hold rows in opposite orders.
 */
export async function lockMember(trx: Kysely<Database>, engine: Engine, memberId: string): Promise<void> {
  if (engine !== 'postgres') return;
  await trx.selectFrom('members').select('id').where('id', '=', memberId).forUpdate().execute();
}
