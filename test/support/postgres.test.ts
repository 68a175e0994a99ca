// The test set-up itself: the runner's throwaway PostgreSQL server answers, and a test database can
// be created, used and dropped on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from './postgres.ts';

const adminUrl = process.env.TWOFOLD_TEST_POSTGRES_URL;

test('a fresh test database on the throwaway server answers queries and is dropped', { skip: !adminUrl && 'TWOFOLD_TEST_POSTGRES_URL is not set (run through npm test)' }, async () => {
  const database = await createTestDatabase(adminUrl ?? '');
  const name = new URL(database.url).pathname.slice(1);
  try {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; db: string }>('select 1 as one, current_database() as db');
      assert.deepEqual(rows, [{ one: 1, db: name }]);
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    assert.equal(rowCount, 0);
  } finally {
    await admin.end();
  }
});
