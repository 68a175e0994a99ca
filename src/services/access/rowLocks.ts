/**
 * Row locks that order concurrent changes inside a transaction. PostgreSQL locks the row; SQLite has
 * a single writer already, so a transaction there is serial by itself.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../../storage/database.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { Database } from '../../storage/schema.ts';

/** Serializes changes to one organization's structure (group moves, the Master Account Holder). */
export async function lockOrganization(trx: Kysely<Database>, engine: Engine, organizationId: string): Promise<void> {
  if (engine !== 'postgres') return;
  await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate().execute();
}

const memberPresent = prepareQuery((db, p: { id: string }) => db.selectFrom('members').select('id').where('id', '=', p.id));
const memberPresentLocked = prepareQuery((db, p: { id: string }) => db.selectFrom('members').select('id').where('id', '=', p.id).forUpdate());

/**
 * Serializes changes to one member's credentials (factors, recovery codes, password, sessions). Every
 * database transaction that changes them, or uses a code, takes it first, before any row of the
 * member's: a code attempt locks its factor and a completed sign-in shares the member's row, so one
 * that locked the member after its factor could deadlock with one that locked them the other way.
 */
export async function lockMember(trx: Kysely<Database>, engine: Engine, memberId: string): Promise<void> {
  if (engine !== 'postgres') return;
  // Prepared (named on PostgreSQL): every sign-in takes it.
  await memberPresentLocked.execute(trx, { id: memberId });
}

/**
 * Serializes work counted under one name that has no row of its own (sends from one client network):
 * a PostgreSQL advisory lock held until the transaction ends. Take it after any member's row.
 */
export async function lockName(trx: Kysely<Database>, engine: Engine, name: string): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(trx);
}

/** {@link lockMember} for several members at once, always in the same order (by id). */
export async function lockMembers(trx: Kysely<Database>, engine: Engine, memberIds: readonly string[]): Promise<void> {
  if (engine !== 'postgres' || memberIds.length === 0) return;
  await trx.selectFrom('members').select('id').where('id', 'in', [...memberIds]).orderBy('id').forUpdate().execute();
}

/**
 * {@link lockMember}, and whether the member still exists. A member read before the transaction (a
 * sign-in reads them, then checks the password) may have been deleted since: nothing may then be
 * written for them, and the caller answers as for an unknown member rather than meet a foreign key.
 * On SQLite the read inside the transaction is current by itself.
 */
export async function lockMemberIfPresent(trx: Kysely<Database>, engine: Engine, memberId: string): Promise<boolean> {
  const row = await (engine === 'postgres' ? memberPresentLocked : memberPresent).first(trx, { id: memberId });
  return row !== undefined;
}
