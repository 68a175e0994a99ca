/**
 * Upgrading to sliding rate limits keeps the limits in force: each open fixed-window count becomes as
 * many attempts at its window's start, so a password locked before the upgrade stays locked until its
 * window would have ended, on both databases.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { MIGRATIONS } from '../../src/storage/database.ts';
import { hitRateLimit } from '../../src/storage/rateLimit.ts';
import type { Database } from '../../src/storage/schema.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase } from '../support/postgres.ts';

const before014 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '014'));

async function migrate(db: Kysely<Database>, migrations: typeof MIGRATIONS): Promise<void> {
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
  if (error) throw error;
}

for (const engine of engines()) {
  describe(`migrating to sliding rate limits on ${engine}`, () => {
    test('open counts carry over as attempts at their window\'s start', async () => {
      const database = engine === 'postgres' ? await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!) : null;
      const db = new Kysely<Database>({
        dialect: database
          ? new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) })
          : new SqliteDialect({ database: new SQLite(':memory:') }),
      });
      try {
        await migrate(db, before014);
        const windowStart = Date.parse('2026-06-01T12:00:00Z');
        await sql`insert into rate_limits (key, window_start, count) values
          ('password-failures:locked', ${windowStart}, 11), ('sign-in-ip:198.51.100.7', ${windowStart}, 250)`.execute(db);
        await migrate(db, MIGRATIONS);

        const hits = await db.selectFrom('rate_limit_hits').select(['key', 'counted_at']).execute();
        assert.equal(hits.filter((h) => h.key === 'password-failures:locked').length, 11);
        assert.equal(hits.filter((h) => h.key === 'sign-in-ip:198.51.100.7').length, 100, 'at most the largest limit');
        assert.ok(hits.every((h) => Number(h.counted_at) === windowStart));
        // The lock holds until the window that set it would have ended, then lifts.
        const locked = await hitRateLimit(db, 'password-failures:locked', 10, 15 * 60_000, new Date(windowStart + 60_000));
        assert.deepEqual([locked.allowed, locked.retryAfterMs], [false, 14 * 60_000]);
        assert.equal((await hitRateLimit(db, 'password-failures:locked', 10, 15 * 60_000, new Date(windowStart + 15 * 60_000))).allowed, true);
        assert.deepEqual((await db.selectFrom('rate_limits').select('key').orderBy('key').execute()).map((r) => r.key), ['password-failures:locked', 'sign-in-ip:198.51.100.7']);
      } finally {
        await db.destroy();
        await database?.drop();
      }
    });
  });
}
