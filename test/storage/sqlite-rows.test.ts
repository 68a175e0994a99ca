/**
 * The SQLite driver builds row objects itself (a function per statement) instead of letting
 * better-sqlite3 name every column of every row: the rows must be exactly the ones better-sqlite3
 * gives, for any columns a query names, and stay right when another process changes the schema under
 * a statement already prepared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/storage/database.ts';

async function withStore(run: (store: Store, file: string) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-sqlite-rows-'));
  const store = await openStore({ dataDir });
  try {
    await run(store, join(dataDir, 'twofold.sqlite'));
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('rows are the objects better-sqlite3 makes: every column by name, in order, with its type', async () => {
  await withStore(async (store, file) => {
    const query = `select 1 as "one", 'two' as "two", null as "nothing", 2.5 as "half", x'00ff' as "bytes", 'a"b\\c' as "quo""ted", 3 as "one"`;
    const ours = (await sql.raw(query).execute(store.db)).rows;
    const direct = new SQLite(file, { readonly: true });
    try {
      const theirs = direct.prepare(query).all();
      assert.deepEqual(ours, theirs);
      // A name that appears twice keeps its last value, in the first one's place.
      assert.deepEqual(Object.keys(ours[0] as object), ['one', 'two', 'nothing', 'half', 'bytes', 'quo"ted']);
      assert.equal((ours[0] as { one: number }).one, 3);
    } finally {
      direct.close();
    }
  });
});

test('a column named __proto__ is a property of the row, not its prototype', async () => {
  await withStore(async (store) => {
    const [row] = (await sql.raw(`select 'x' as "__proto__", 1 as "after"`).execute(store.db)).rows as object[];
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 'x');
    assert.equal((row as { after: number }).after, 1);
  });
});

test('no rows, and many rows of one statement, each its own object', async () => {
  await withStore(async (store) => {
    assert.deepEqual((await sql.raw(`select 1 as "a" where 0`).execute(store.db)).rows, []);
    const rows = (await sql.raw(`with recursive n(i) as (select 1 union all select i + 1 from n where i < 500) select i, i * 2 as "twice" from n`).execute(store.db)).rows as Array<{ i: number; twice: number }>;
    assert.equal(rows.length, 500);
    assert.deepEqual(rows[499], { i: 500, twice: 1000 });
    rows[0]!.i = -1;
    assert.equal(rows[1]!.i, 2);
  });
});

test('a "select *" already run learns its new columns when another process adds one', async () => {
  await withStore(async (store, file) => {
    await sql`create table widgets (id integer primary key, name text)`.execute(store.db);
    await sql`insert into widgets (id, name) values (1, 'first')`.execute(store.db);
    const all = () => sql<Record<string, unknown>>`select * from widgets`.execute(store.db).then((result) => result.rows);
    assert.deepEqual(await all(), [{ id: 1, name: 'first' }]);

    const other = new SQLite(file);
    try {
      other.exec(`alter table widgets add column colour text not null default 'blue'`);
    } finally {
      other.close();
    }
    assert.deepEqual(await all(), [{ id: 1, name: 'first', colour: 'blue' }]);
  });
});
