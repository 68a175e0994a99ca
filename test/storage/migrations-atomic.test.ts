/**
 * Threat: a server stopped, or a migration failing, during start-up leaves the embedded database's
 * schema half-built, and no later start can finish it ("table organizations already exists"). The
 * pending migrations run in one transaction: a failure leaves the schema as it was before them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, type Migration } from 'kysely';
import { GroupCommitSqliteDialect } from '../../src/storage/groupCommitSqlite.ts';
import { MIGRATIONS } from '../../src/storage/database.ts';

async function tables(db: Kysely<unknown>): Promise<string[]> {
  const rows = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%'`.execute(db);
  return rows.rows.map((row) => row.name);
}

test('a migration that fails leaves none of the pending ones applied, and the next start applies them all', async () => {
  const database = new SQLite(':memory:');
  const db = new Kysely<unknown>({ dialect: new GroupCommitSqliteDialect(database) });
  try {
    const failing: Migration = { up: async () => { throw new Error('stopped half-way'); } };
    const broken = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS, '999_fails': failing }) } });
    const { error } = await broken.migrateToLatest();
    assert.ok(error, 'the failing migration is reported');
    assert.deepEqual(await tables(db), [], 'no table of the earlier migrations stays behind');

    const { error: again } = await new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } }).migrateToLatest();
    assert.equal(again, undefined);
    assert.ok((await tables(db)).includes('organizations'));
  } finally {
    await db.destroy();
  }
});
