/**
 * Indexes built after the migrations, outside their transaction: on PostgreSQL concurrently (writes go
 * on during the build), on SQLite plainly; idempotent at every start; an INVALID index left by an
 * interrupted build is dropped and built again.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { openStore, type Store } from '../../src/storage/database.ts';
import { buildOnlineIndexes, ONLINE_INDEX_LOCK, type OnlineIndex } from '../../src/storage/onlineIndexes.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

/** The text of every raw statement run through it. */
class Statements implements KyselyPlugin {
  readonly texts: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'RawNode') this.texts.push(args.node.sqlFragments.join('?'));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> { return args.result; }
}

const UNIQUE_CODE: OnlineIndex = { name: 'online_probe_code', table: 'online_probe', columns: ['code'], unique: true };

for (const engine of engines()) {
  describe(`online indexes on ${engine}`, () => {
    let store: Store;
    let database: TestDatabase | undefined;
    before(async () => {
      if (engine === 'postgres') database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
      store = await openStore({ databaseUrl: database?.url, dataDir: '/nonexistent', sqliteFile: ':memory:' });
      await sql`create table online_probe (id text primary key, code text not null)`.execute(store.db);
    });
    after(async () => {
      await store.close();
      await database?.drop();
    });

    const indexState = async (): Promise<'absent' | 'valid' | 'invalid'> => {
      if (engine === 'sqlite') {
        const { rows } = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'index' and name = ${UNIQUE_CODE.name}`.execute(store.db);
        return Number(rows[0]!.n) === 1 ? 'valid' : 'absent';
      }
      const { rows } = await sql<{ valid: boolean }>`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = ${UNIQUE_CODE.name}`.execute(store.db);
      return rows.length === 0 ? 'absent' : rows[0]!.valid ? 'valid' : 'invalid';
    };

    test('a build stopped half-way is built again at the next start, then every start leaves it alone', async () => {
      await sql`insert into online_probe (id, code) values ('1', 'same'), ('2', 'same')`.execute(store.db);
      // A duplicate stops the build of a unique index half-way, as a killed node would.
      await assert.rejects(buildOnlineIndexes(store.db, store.engine, [UNIQUE_CODE]));
      assert.equal(await indexState(), engine === 'postgres' ? 'invalid' : 'absent', 'PostgreSQL keeps an INVALID index that IF NOT EXISTS would skip');

      await sql`delete from online_probe where id = '2'`.execute(store.db);
      const statements = new Statements();
      await buildOnlineIndexes(store.db.withPlugin(statements), store.engine, [UNIQUE_CODE]);
      assert.equal(await indexState(), 'valid');
      await assert.rejects(sql`insert into online_probe (id, code) values ('3', 'same')`.execute(store.db), 'the rebuilt index is enforced');
      if (engine === 'postgres') {
        const ddl = statements.texts.filter((text) => /\b(CREATE|DROP) /.test(text));
        assert.deepEqual(ddl, [
          'DROP INDEX CONCURRENTLY IF EXISTS online_probe_code',
          'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS online_probe_code ON online_probe (code)',
        ]);
      }

      // The next start: nothing dropped, nothing fails.
      const again = new Statements();
      await buildOnlineIndexes(store.db.withPlugin(again), store.engine, [UNIQUE_CODE]);
      assert.ok(!again.texts.some((text) => text.startsWith('DROP')));
      assert.equal(await indexState(), 'valid');
    });

    test('two nodes building at once take turns and both succeed', async () => {
      const other = { ...UNIQUE_CODE, name: 'online_probe_id_code', unique: false, columns: ['id', 'code'] };
      await Promise.all([buildOnlineIndexes(store.db, store.engine, [other]), buildOnlineIndexes(store.db, store.engine, [other])]);
      const { rows } = engine === 'sqlite'
        ? await sql<{ n: number }>`select count(*) as n from sqlite_master where name = ${other.name}`.execute(store.db)
        : await sql<{ n: number }>`select count(*)::int as n from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = ${other.name} and i.indisvalid`.execute(store.db);
      assert.equal(Number(rows[0]!.n), 1);
    });

    if (engine === 'postgres') {
      test('a node waiting for its turn does not hold up the build it waits for', async () => {
        // Another node holds the turn and builds concurrently while this one waits: a concurrent build
        // waits for every open transaction, so a waiter that sits in one would deadlock with it.
        const waiting = { ...UNIQUE_CODE, name: 'online_probe_code_waiting', unique: false };
        await store.db.connection().execute(async (holder) => {
          await sql`select pg_advisory_lock(${ONLINE_INDEX_LOCK})`.execute(holder);
          const waiter = buildOnlineIndexes(store.db, store.engine, [waiting]);
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql.raw('CREATE INDEX CONCURRENTLY online_probe_held ON online_probe (id, code)').execute(holder);
          await sql`select pg_advisory_unlock(${ONLINE_INDEX_LOCK})`.execute(holder);
          await waiter;
        });
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname in ('online_probe_held', ${waiting.name}) and i.indisvalid`.execute(store.db);
        assert.equal(Number(rows[0]!.n), 2);
      });
    }

    test('names that are not plain identifiers are refused before anything runs', async () => {
      await assert.rejects(buildOnlineIndexes(store.db, store.engine, [{ name: 'x; drop table members', table: 'online_probe', columns: ['code'] }]));
    });
  });
}
