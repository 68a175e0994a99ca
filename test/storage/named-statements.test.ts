/**
 * On PostgreSQL the prepared queries run as named prepared statements, parsed and planned once per
 * connection, their result described once per connection, and a statement whose plan a newer node's
 * migration made stale (a column added to a `select *` table) is prepared again rather than failing:
 * at once outside a transaction, on the next attempt inside one.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/storage/database.ts';
import { prepareQuery } from '../../src/storage/preparedQuery.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

const organizationById = prepareQuery((db, p: { id: string }) => db.selectFrom('organizations').selectAll().where('id', '=', p.id));
// Each run by one test only, so that no connection has run it before.
const organizationByName = prepareQuery((db, p: { name: string }) => db.selectFrom('organizations').selectAll().where('name', '=', p.name));
const organizationNameById = prepareQuery((db, p: { id: string }) => db.selectFrom('organizations').select('name').where('id', '=', p.id));
const renameOrganization = prepareQuery((db, p: { id: string; name: string }) => db.updateTable('organizations').set({ name: p.name }).where('id', '=', p.id));

/** Counts the result descriptions `pg` asks PostgreSQL for while `run` runs. */
async function describesDuring(run: () => Promise<void>): Promise<number> {
  const prototype = pg.Connection.prototype as unknown as { describe(message: unknown): void };
  const describe = prototype.describe;
  let count = 0;
  prototype.describe = function (this: unknown, message: unknown) {
    count++;
    describe.call(this, message);
  };
  try {
    await run();
  } finally {
    prototype.describe = describe;
  }
  return count;
}

// Only PostgreSQL names statements; better-sqlite3 keeps its own statements compiled.
if (engines().includes('postgres')) {
  describe('named prepared statements on postgres', () => {
    let store: Store;
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
      store = await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', sqliteFile: ':memory:' });
      await sql`insert into organizations (id, name, created_at) values ('org-named', 'Named', 0)`.execute(store.db);
    });
    after(async () => {
      await store.close();
      await database.drop();
    });

    test('a prepared query is prepared once on its connection, an inline one is not', async () => {
      await store.db.connection().execute(async (connection) => {
        for (let i = 0; i < 3; i++) assert.equal((await organizationById.first(connection, { id: 'org-named' }))?.name, 'Named');
        await connection.selectFrom('organizations').select('name').where('id', '=', 'org-named').execute();
        const prepared = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(connection);
        const ours = prepared.rows.filter((row) => row.statement.includes('from "organizations"'));
        assert.equal(ours.length, 1, JSON.stringify(prepared.rows));
        assert.match(ours[0]!.name, /^twofold_\d+_0$/);
        assert.match(ours[0]!.statement, /^select \* from "organizations" where "id" = \$1$/);
      });
    });

    test('a statement\'s result is described once on its connection, and its rows keep their columns and types', async () => {
      await store.db.connection().execute(async (connection) => {
        const rows: Array<Record<string, unknown> | undefined> = [];
        const describes = await describesDuring(async () => {
          for (let i = 0; i < 4; i++) rows.push(await organizationByName.first(connection, { name: 'Named' }) as Record<string, unknown> | undefined);
        });
        assert.equal(describes, 1);
        for (const row of rows) {
          assert.deepEqual(row, rows[0]);
          assert.equal(row?.name, 'Named');
          // created_at is a bigint column, read as a number by the pool's own parser.
          assert.equal(row?.created_at, 0);
        }
        assert.equal(rows[0]?.id, 'org-named');
        assert.equal(await organizationByName.first(connection, { name: 'nobody' }), undefined);
      });
    });

    test('a statement without rows is described once and still counts the rows it changed', async () => {
      await store.db.connection().execute(async (connection) => {
        const changed: number[] = [];
        const describes = await describesDuring(async () => {
          for (const name of ['Renamed', 'Named', 'Renamed', 'Named']) changed.push(await renameOrganization.affected(connection, { id: 'org-named', name }));
          changed.push(await renameOrganization.affected(connection, { id: 'nobody', name: 'x' }));
        });
        assert.equal(describes, 1);
        assert.deepEqual(changed, [1, 1, 1, 1, 0]);
        assert.equal((await organizationById.first(connection, { id: 'org-named' }))?.name, 'Named');
      });
    });

    test('each connection describes a statement for itself', async () => {
      await store.db.connection().execute(async (first) => {
        await store.db.connection().execute(async (second) => {
          const describes = await describesDuring(async () => {
            for (let i = 0; i < 2; i++) {
              assert.equal((await organizationNameById.first(first, { id: 'org-named' }))?.name, 'Named');
              assert.equal((await organizationNameById.first(second, { id: 'org-named' }))?.name, 'Named');
            }
          });
          assert.equal(describes, 2);
        });
      });
    });

    test('a column added by a migration elsewhere: outside a transaction the query is prepared again at once', async () => {
      await store.db.connection().execute(async (connection) => {
        await organizationById.first(connection, { id: 'org-named' });
        // Another node's migration, on another connection.
        await sql`alter table organizations add column probe_outside integer not null default 7`.execute(store.db);
        const row = await organizationById.first(connection, { id: 'org-named' }) as Record<string, unknown> | undefined;
        assert.equal(row?.probe_outside, 7);
      });
    });

    test('inside a transaction the stale statement fails that transaction only; the next one succeeds', async () => {
      await store.db.connection().execute(async (connection) => {
        await organizationById.first(connection, { id: 'org-named' });
        await sql`alter table organizations add column probe_inside integer not null default 8`.execute(store.db);
        await assert.rejects(
          connection.transaction().execute((trx) => organizationById.first(trx, { id: 'org-named' })),
          (error: Error & { code?: string }) => error.code === '0A000',
        );
        const row = await connection.transaction().execute((trx) => organizationById.first(trx, { id: 'org-named' })) as Record<string, unknown> | undefined;
        assert.equal(row?.probe_inside, 8);
      });
    });
  });
}
