/**
 * Indexes built while the server runs. A versioned migration runs in one transaction, and a plain
 * `CREATE INDEX` on PostgreSQL holds a lock that blocks every write to its table until the build ends:
 * on a large table that is minutes of refused sign-ins during a rolling upgrade. An index listed in
 * {@link ONLINE_INDEXES} is built instead after the transactional migrations, on PostgreSQL with
 * `CREATE INDEX CONCURRENTLY` (writes go on during the build; it cannot run inside a transaction), on
 * SQLite with a plain `CREATE INDEX` (one writer anyway, and its tables are small).
 *
 * Every start runs the list again, so each step is idempotent (`IF NOT EXISTS`). A concurrent build
 * stopped half-way (the node killed, a duplicate under a unique index) leaves an INVALID index that
 * `IF NOT EXISTS` would take for done: it is dropped (concurrently too) and built again. Nodes starting
 * together take turns under one advisory lock, so none drops an index another is still building.
 * docs/operations.md says when to use this list.
 */
import { sql } from 'kysely';
import type { Db, Engine } from './database.ts';

export interface OnlineIndex {
  /** Unique across the schema; the name is how a build is recognised as done or interrupted. */
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly unique?: boolean;
}

/** Built after the migrations, in this order. Append only; a removed entry leaves its index in place. */
export const ONLINE_INDEXES: readonly OnlineIndex[] = [
  // The Global Settings preview and the status report count the enabled members per technician group
  // and role: an index-only range instead of a lookup of each member's row (250 ms at 100,000 members).
  { name: 'members_org_enforcement', table: 'members', columns: ['organization_id', 'enabled', 'technician_group_id', 'role'] },
];

/** Any constant: the key of the advisory lock the nodes take turns under. */
export const ONLINE_INDEX_LOCK = 0x7477_6f66;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export async function buildOnlineIndexes(db: Db, engine: Engine, indexes: readonly OnlineIndex[] = ONLINE_INDEXES): Promise<void> {
  for (const index of indexes) {
    // Names go into the statement as identifiers; they come from this source file, never from input.
    for (const name of [index.name, index.table, ...index.columns]) {
      if (!IDENTIFIER.test(name)) throw new Error(`online index ${index.name}: "${name}" is not a plain identifier`);
    }
  }
  if (indexes.length === 0) return;
  if (engine === 'sqlite') {
    for (const index of indexes) await sql.raw(createStatement(index, '')).execute(db);
    return;
  }
  // One connection for the lock and the builds: an advisory lock belongs to its session, and ends
  // with it if the node dies, leaving at worst an INVALID index for the next node to rebuild.
  await db.connection().execute(async (connection) => {
    await takeTurn(connection);
    try {
      for (const index of indexes) {
        if (await isInvalid(connection, index.name)) {
          await sql.raw(`DROP INDEX CONCURRENTLY IF EXISTS ${index.name}`).execute(connection);
        }
        await sql.raw(createStatement(index, 'CONCURRENTLY ')).execute(connection);
      }
    } finally {
      await sql`select pg_advisory_unlock(${ONLINE_INDEX_LOCK})`.execute(connection);
    }
  });
}

/** How long a node waiting for its turn sleeps between tries. */
const TURN_POLL_MS = 100;

/**
 * Takes the advisory lock by trying, not by waiting in `pg_advisory_lock`. A concurrent build waits
 * for every transaction open when it starts, and a session blocked in `pg_advisory_lock` is such a
 * transaction: the builder would wait for the waiter, the waiter for the builder's lock, and
 * PostgreSQL would end one as a deadlock. Between tries this session holds no transaction at all.
 */
async function takeTurn(connection: Db): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ taken: boolean }>`select pg_try_advisory_lock(${ONLINE_INDEX_LOCK}) as taken`.execute(connection);
    if (rows[0]!.taken) return;
    await new Promise((resolve) => setTimeout(resolve, TURN_POLL_MS));
  }
}

function createStatement(index: OnlineIndex, concurrently: string): string {
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${concurrently}IF NOT EXISTS ${index.name} ON ${index.table} (${index.columns.join(', ')})`;
}

/** True when an index of that name exists in the current schema but a build left it unusable. */
async function isInvalid(db: Db, name: string): Promise<boolean> {
  const { rows } = await sql<{ valid: boolean }>`
    select i.indisvalid as valid from pg_index i
    join pg_class c on c.oid = i.indexrelid
    where c.relname = ${name} and c.relnamespace = current_schema()::regnamespace`.execute(db);
  return rows.length > 0 && !rows[0]!.valid;
}
