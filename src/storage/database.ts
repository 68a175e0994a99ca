/**
 * Opens the store: embedded SQLite in the data directory by default, PostgreSQL when a
 * `postgres://` URL is given. Both run the same migrations and the same Kysely queries.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, sql, type Migration } from 'kysely';
import { GroupCommitSqliteDialect } from './groupCommitSqlite.ts';
import { prepareNamedStatements } from './namedStatements.ts';
import * as initial from './migrations/001_initial.ts';
import * as recoveryCodes from './migrations/002_recovery_codes.ts';
import * as setupCodes from './migrations/003_setup_codes.ts';
import * as twoStepResetAt from './migrations/004_two_step_reset_at.ts';
import * as invitationSignIn from './migrations/005_invitation_sign_in.ts';
import * as factorReplaces from './migrations/006_factor_replaces.ts';
import * as passwordResets from './migrations/007_password_resets.ts';
import * as housekeepingIndexes from './migrations/008_housekeeping_indexes.ts';
import * as lookupIndexes from './migrations/009_lookup_indexes.ts';
import * as passwordReverification from './migrations/010_password_reverification.ts';
import * as sentCodeSenders from './migrations/011_sent_code_senders.ts';
import * as setupProofAndMemberSearch from './migrations/012_setup_proof_and_member_search.ts';
import * as sessionSetupRequired from './migrations/013_session_setup_required.ts';
import * as slidingRateLimits from './migrations/014_sliding_rate_limits.ts';
import * as groupNamesAuditRetention from './migrations/015_group_names_audit_retention.ts';
import * as adminCenterIndexes from './migrations/016_admin_center_indexes.ts';
import * as secretKeyCheck from './migrations/018_secret_key_check.ts';
import * as memberLanguage from './migrations/019_member_language.ts';
import * as push from './migrations/020_push.ts';
import * as afterAnswerJobs from './migrations/021_after_answer_jobs.ts';
import { buildOnlineIndexes } from './onlineIndexes.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Engine = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Db;
  readonly engine: Engine;
  /** Where the data lives, without credentials, for the start-up log. */
  readonly description: string;
  /**
   * PostgreSQL only: receives every `NOTIFY` on `channel` from any node, on a connection of its own
   * (opened on first use, reopened when it drops). Undefined on SQLite, where one process is the
   * only writer and events are delivered in-process.
   */
  readonly listen?: (channel: string, onPayload: (payload: string) => void) => Promise<void>;
  close(): Promise<void>;
}

/** Versioned migrations, applied in name order at start-up. */
export const MIGRATIONS: Record<string, Migration> = {
  '001_initial': initial,
  '002_recovery_codes': recoveryCodes,
  '003_setup_codes': setupCodes,
  '004_two_step_reset_at': twoStepResetAt,
  '005_invitation_sign_in': invitationSignIn,
  '006_factor_replaces': factorReplaces,
  '007_password_resets': passwordResets,
  '008_housekeeping_indexes': housekeepingIndexes,
  '009_lookup_indexes': lookupIndexes,
  '010_password_reverification': passwordReverification,
  '011_sent_code_senders': sentCodeSenders,
  '012_setup_proof_and_member_search': setupProofAndMemberSearch,
  '013_session_setup_required': sessionSetupRequired,
  '014_sliding_rate_limits': slidingRateLimits,
  '015_group_names_audit_retention': groupNamesAuditRetention,
  '016_admin_center_indexes': adminCenterIndexes,
  '018_secret_key_check': secretKeyCheck,
  '019_member_language': memberLanguage,
  '020_push': push,
  '021_after_answer_jobs': afterAnswerJobs,
};

export interface OpenStoreOptions {
  /** `postgres://…` for PostgreSQL; absent for SQLite. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  /** SQLite file name inside dataDir, `:memory:` for tests that need no file. */
  readonly sqliteFile?: string;
  /** SQLite's page cache in MiB (16 by default). */
  readonly sqliteCacheMb?: number;
  /** SQLite's memory map in MiB (0, none, by default). */
  readonly sqliteMmapMb?: number;
  /**
   * The migrations to apply, all of {@link MIGRATIONS} by default. A test of one migration opens a
   * store with the ones before it, writes what an older version would have, and opens it again.
   * With a list of its own, the online indexes (which belong to the newest schema) are not built.
   */
  readonly migrations?: Readonly<Record<string, Migration>>;
}

/** The migrations that come before `name`, to build the schema an older version left. */
export function migrationsBefore(name: string): Record<string, Migration> {
  return Object.fromEntries(Object.entries(MIGRATIONS).filter(([migration]) => migration < name));
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options);
  try {
    await migrate(store.db, options.migrations ?? MIGRATIONS);
    // After the transactional migrations, outside any transaction (see onlineIndexes.ts).
    if (!options.migrations) await buildOnlineIndexes(store.db, store.engine);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqlite(options: OpenStoreOptions): Store {
  const file = options.sqliteFile ?? 'twofold.sqlite';
  let path = file;
  if (file !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    path = join(options.dataDir, file);
  }
  const database = new SQLite(path);
  // The database holds password hashes and sealed seeds: readable by its owner only.
  if (path !== ':memory:') chmodSync(path, 0o600);
  // WAL lets readers run beside the single writer; NORMAL sync is durable across process crashes.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Savepoint journals stay in memory instead of temporary files (every transaction is a savepoint).
  database.pragma('temp_store = MEMORY');
  // Both count in the process's RSS: mapped pages once read (a map as large as the file ends up holding
  // all of it), the cache as it fills. Without a map, reads go through the kernel's file cache, which
  // keeps the file's pages all the same but outside the process; the cache keeps the hot pages (indexes).
  const mib = 1024 * 1024;
  database.pragma(`mmap_size = ${Math.trunc((options.sqliteMmapMb ?? 0) * mib)}`);
  database.pragma(`cache_size = ${-Math.trunc((options.sqliteCacheMb ?? 16) * 1024)}`);
  database.pragma('wal_autocheckpoint = 10000');
  const db = new Kysely<Database>({ dialect: new GroupCommitSqliteDialect(database) });
  return { db, engine: 'sqlite', description: `SQLite ${path}`, close: () => db.destroy() };
}

function openPostgres(url: string): Store {
  // int8 columns hold epoch milliseconds, well inside Number's exact range.
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format) } as pg.CustomTypesConfig;
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  // An idle connection the server ends (a restart, an administrator, a dropped database) is an 'error'
  // on the pool, which would otherwise be an uncaught exception that stops the process. The pool has
  // already discarded that connection, and the next query opens a new one.
  pool.on('error', () => {});
  pool.on('connect', prepareNamedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  // A Unix socket's directory is the host, percent-encoded, or the `host` parameter.
  const where = decodeURIComponent(safe.host) || safe.searchParams.get('host') || 'localhost';
  const listener = new NotificationListener(url, types);
  return {
    db, engine: 'postgres', description: `PostgreSQL ${where}${safe.pathname}`,
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    close: async () => { await listener.close(); await db.destroy(); },
  };
}

/** One LISTEN connection per store, shared by every channel it listens on. */
class NotificationListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly handlers = new Map<string, Array<(payload: string) => void>>();
  private closed = false;

  constructor(private readonly url: string, private readonly types: pg.CustomTypesConfig) {}

  async listen(channel: string, onPayload: (payload: string) => void): Promise<void> {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
    const known = this.handlers.has(channel);
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), onPayload]);
    const existing = this.client;
    const client = await this.connect();
    // A fresh connection listens on every channel already; an existing one learns the new channel.
    if (!known && client === existing) await client.query(`LISTEN ${channel}`);
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, types: this.types });
      client.on('notification', (message) => {
        for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
      });
      // A dropped connection is opened again, listening on the same channels; notifications sent
      // meanwhile are lost, which listeners tolerate (they read the database again on a timer).
      client.on('error', () => this.reopen(client));
      client.on('end', () => this.reopen(client));
      try {
        await client.connect();
        for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
      } catch (error) {
        this.connecting = null;
        await client.end().catch(() => {});
        throw error;
      }
      this.client = client;
      this.connecting = null;
      return client;
    })();
    return this.connecting;
  }

  private reopen(client: pg.Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    const retry = (): void => {
      setTimeout(() => { if (!this.closed) this.connect().catch(retry); }, 1_000).unref();
    };
    retry();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (this.connecting ? await this.connecting.catch(() => null) : null);
    this.client = null;
    await client?.end().catch(() => {});
  }
}

async function migrate(db: Db, migrations: Readonly<Record<string, Migration>>): Promise<void> {
  // Read before the migrator starts: it asks for the list inside its own transaction.
  const newer = await newerMigrations(db, migrations);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations, ...newer }) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed`, { cause: error });
  }
}

/**
 * Migrations a newer version already ran, which this code does not know. During a rolling upgrade a
 * node of the previous version may (re)start after the first new node migrated: the migrator would
 * refuse the unknown names ("corrupted migrations") and the node would not start, though every
 * migration must leave a schema the previous version works with (docs/operations.md). They are
 * listed here as already done, only when they come after every migration this code has, so that a
 * database missing one of ours still fails as it should. They never run: a stand-in that throws says so.
 */
async function newerMigrations(db: Db, migrations: Readonly<Record<string, Migration>>): Promise<Record<string, Migration>> {
  let executed: string[];
  try {
    executed = (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name);
  } catch {
    return {}; // a new database: no migration table yet
  }
  const ours = Object.keys(migrations).sort();
  const newest = ours[ours.length - 1]!;
  const unknown = executed.filter((name) => !(name in migrations) && name > newest);
  return Object.fromEntries(unknown.map((name) => [name, {
    up: async () => { throw new Error(`migration ${name} belongs to a newer version`); },
  }]));
}
