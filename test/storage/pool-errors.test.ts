/**
 * A PostgreSQL connection that dies while idle in the pool (a server restart, an administrator ending
 * it) must not bring the process down: the pool drops it and the next query opens a new one.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestApp, engines, type TestApp } from '../support/harness.ts';

for (const engine of engines().filter((e) => e === 'postgres')) {
  describe(`idle connections that die on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('the pool survives its idle connections being ended, and goes on', async () => {
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.ctx.db);
      const name = rows[0]!.name;
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(t.ctx.db)));
      const admin = new pg.Client({ connectionString: process.env.TWOFOLD_TEST_POSTGRES_URL });
      await admin.connect();
      try {
        const ended = await admin.query('select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        assert.ok(ended.rows.length >= 1, 'the pool had idle connections');
      } finally {
        await admin.end();
      }
      // Give the dead sockets time to be noticed while idle.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const again = await sql<{ one: number }>`select 1 as one`.execute(t.ctx.db);
      assert.equal(Number(again.rows[0]!.one), 1);
    });
  });
}
