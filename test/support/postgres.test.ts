// The test set-up itself: the runner's throwaway PostgreSQL server answers, and a test database can
// be created, used and dropped on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase, startThrowawayPostgres } from './postgres.ts';

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

test("dropping a test database waits for a closed pool's connections to go, so none is ended with an error", async () => {
  // A server of its own: the test pauses its server processes, standing in for a busy machine where
  // they have not yet read the pool's goodbye when the database is dropped.
  const server = await startThrowawayPostgres();
  try {
    const database = await createTestDatabase(server.url);
    const pool = new pg.Pool({ connectionString: database.url, max: 3 });
    const errors: Error[] = [];
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    const pids: number[] = [];
    for (const client of clients) {
      client.on('error', (error) => errors.push(error));
      pids.push((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
      client.release();
    }
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    let dropping: Promise<void>;
    try {
      await pool.end();
      dropping = database.drop();
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    await dropping;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(errors.map((error) => error.message), []);
  } finally {
    await server.stop();
  }
});
