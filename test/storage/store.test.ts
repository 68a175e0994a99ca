/**
 * The storage suite, run on the embedded SQLite database and on PostgreSQL: migrations at start-up,
 * times and flags as numbers, the race-free counter behind the rate limits, and transactions that
 * commit or roll back whole (on SQLite, each as a savepoint of a group commit).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/storage/database.ts';
import { prepareQuery } from '../../src/storage/preparedQuery.ts';
import { clearRateLimit, giveBackHit, hitRateLimit } from '../../src/storage/rateLimit.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { engines } from '../support/harness.ts';

interface Opened {
  readonly store: Store;
  /** Opens the same database again, as a restart would. */
  reopen(): Promise<Store>;
  close(): Promise<void>;
}

async function open(engine: string): Promise<Opened> {
  if (engine === 'postgres') {
    const database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
    const options = { databaseUrl: database.url, dataDir: '/nonexistent' };
    const store = await openStore(options);
    return { store, reopen: () => openStore(options), close: async () => { await store.close(); await database.drop(); } };
  }
  const dir = mkdtempSync(join(tmpdir(), 'twofold-store-'));
  const store = await openStore({ dataDir: dir });
  return {
    store,
    reopen: () => openStore({ dataDir: dir }),
    close: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

const organization = (id: string) => ({
  id, name: `Org ${id}`, master_account_holder_id: null, two_step_epoch: 1, tsv_master_administrators: 0,
  tsv_administrators: 0, tsv_technicians: 'none', tsv_primary_method: 'totp', tsv_allowed_methods: 'totp,sms,email',
  pw_minimum_strength: 'good', pw_maximum_age_days: 0, pw_expiry_notice_days: 14, pw_admin_change_forces_change: 0,
  created_at: 1_795_000_000_123,
});

for (const engine of engines()) {
  describe(`storage on ${engine}`, () => {
    let handle: Awaited<ReturnType<typeof open>>;
    before(async () => { handle = await open(engine); });
    after(async () => { await handle.close(); });

    test('a prepared query runs with each run\'s own values, in and out of transactions', async () => {
      const byName = prepareQuery((db, p: { name: string; epoch: number }) => db.selectFrom('organizations')
        .select(['id', 'two_step_epoch']).where('name', '=', p.name).where('two_step_epoch', '>=', p.epoch));
      const bump = prepareQuery((db, p: { id: string; by: number }) => db.updateTable('organizations')
        .set((eb) => ({ two_step_epoch: eb('two_step_epoch', '+', p.by) })).where('id', '=', p.id));
      await handle.store.db.insertInto('organizations').values([organization('o-prep-1'), organization('o-prep-2')]).execute();

      assert.deepEqual((await byName.execute(handle.store.db, { name: 'Org o-prep-1', epoch: 1 })).rows, [{ id: 'o-prep-1', two_step_epoch: 1 }]);

      // Each run takes its own values: nothing of an earlier run sticks.
      assert.deepEqual(await byName.first(handle.store.db, { name: 'Org o-prep-2', epoch: 1 }), { id: 'o-prep-2', two_step_epoch: 1 });
      assert.equal(await byName.first(handle.store.db, { name: 'Org o-prep-2', epoch: 2 }), undefined);
      // Constants written in the query stay constants; only the slots change.
      assert.equal(await bump.affected(handle.store.db, { id: 'o-prep-1', by: 2 }), 1);
      assert.equal(await bump.affected(handle.store.db, { id: 'no-such-org', by: 2 }), 0);

      // Inside a transaction it runs on the transaction: a rollback undoes it.
      await assert.rejects(handle.store.db.transaction().execute(async (trx) => {
        assert.equal(await bump.affected(trx, { id: 'o-prep-2', by: 5 }), 1);
        assert.deepEqual(await byName.first(trx, { name: 'Org o-prep-2', epoch: 6 }), { id: 'o-prep-2', two_step_epoch: 6 });
        throw new Error('roll back');
      }), /roll back/);
      assert.deepEqual(await byName.first(handle.store.db, { name: 'Org o-prep-1', epoch: 1 }), { id: 'o-prep-1', two_step_epoch: 3 });
      assert.deepEqual(await byName.first(handle.store.db, { name: 'Org o-prep-2', epoch: 1 }), { id: 'o-prep-2', two_step_epoch: 1 });

      // Parallel runs with different values each get their own rows.
      const names = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'Org o-prep-1' : 'Org o-prep-2'));
      const found = await Promise.all(names.map((name) => byName.first(handle.store.db, { name, epoch: 1 })));
      assert.deepEqual(found.map((row) => row?.id), names.map((name) => name.slice(4)));
    });

    test('migrations are recorded at start and a restart applies none again', async () => {
      const names = async (store: Store) =>
        (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db)).rows.map((r) => r.name);
      const applied = await names(handle.store);
      assert.equal(applied[0], '001_initial');
      await handle.store.db.insertInto('organizations').values(organization('o-before-restart')).execute();
      const restarted = await handle.reopen();
      try {
        assert.deepEqual(await names(restarted), applied);
        assert.ok(await restarted.db.selectFrom('organizations').select('id').where('id', '=', 'o-before-restart').executeTakeFirst());
      } finally {
        await restarted.close();
      }
    });

    test('epoch-millisecond times and 0/1 flags come back as numbers', async () => {
      const { db } = handle.store;
      await db.insertInto('organizations').values(organization('o-times')).execute();
      const row = await db.selectFrom('organizations').selectAll().where('id', '=', 'o-times').executeTakeFirstOrThrow();
      assert.equal(row.created_at, 1_795_000_000_123);
      assert.equal(typeof row.created_at, 'number');
      assert.equal(row.tsv_administrators, 0);
    });

    test('a transaction that fails leaves nothing, one that succeeds keeps everything', async () => {
      const { db } = handle.store;
      await assert.rejects(db.transaction().execute(async (trx) => {
        await trx.insertInto('organizations').values(organization('o-rolled-back')).execute();
        throw new Error('stop');
      }), /stop/);
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('organizations').values(organization('o-kept-1')).execute();
        await trx.insertInto('organizations').values(organization('o-kept-2')).execute();
      });
      const ids = (await db.selectFrom('organizations').select('id').where('id', 'like', 'o-%').execute()).map((r) => r.id).sort();
      assert.deepEqual(ids.filter((id) => id.startsWith('o-kept') || id === 'o-rolled-back'), ['o-kept-1', 'o-kept-2']);
    });

    test('parallel transactions commit independently: a failing one does not undo the others', async () => {
      const { db } = handle.store;
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => db.transaction().execute(async (trx) => {
        await trx.insertInto('organizations').values(organization(`p-${i}`)).execute();
        if (i % 4 === 0) throw new Error(`fail ${i}`);
      })));
      assert.equal(results.filter((r) => r.status === 'rejected').length, 5);
      const stored = await db.selectFrom('organizations').select('id').where('id', 'like', 'p-%').execute();
      assert.equal(stored.length, 15);
      assert.ok(stored.every((r) => Number(r.id.slice(2)) % 4 !== 0));
    });

    test('a unique violation rolls back only its own transaction', async () => {
      const { db } = handle.store;
      const results = await Promise.allSettled(['u-1', 'u-1', 'u-2'].map((id) =>
        db.transaction().execute((trx) => trx.insertInto('organizations').values(organization(id)).execute())));
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'fulfilled', 'rejected']);
      const stored = await db.selectFrom('organizations').select('id').where('id', 'in', ['u-1', 'u-2']).execute();
      assert.equal(stored.length, 2);
    });

    test('a rate limit lets exactly its number through 50 parallel hits, and then only as its window slides', async () => {
      const { db } = handle.store;
      const now = new Date('2026-06-01T12:00:00Z');
      const at = (ms: number) => new Date(now.getTime() + ms);
      const results = await Promise.all(Array.from({ length: 50 }, () => hitRateLimit(db, 'k-parallel', 10, 60_000, now)));
      assert.equal(results.filter((r) => r.allowed).length, 10);
      assert.ok(results.filter((r) => !r.allowed).every((r) => r.retryAfterMs === 60_000 && r.hitId === null));
      assert.equal((await hitRateLimit(db, 'k-parallel', 10, 60_000, at(59_999))).retryAfterMs, 1);
      const later = await hitRateLimit(db, 'k-parallel', 10, 60_000, at(60_000));
      assert.deepEqual([later.allowed, later.retryAfterMs], [true, 0]);
    });

    test('a burst at a window\'s edge gets no more through than the limit: the window slides', async () => {
      const { db } = handle.store;
      const start = new Date('2026-06-01T12:00:00Z');
      const at = (ms: number) => new Date(start.getTime() + ms);
      const burst = async (ms: number, n: number) =>
        (await Promise.all(Array.from({ length: n }, () => hitRateLimit(db, 'k-edge', 10, 60_000, at(ms))))).filter((r) => r.allowed).length;
      // One attempt when a fixed window would begin, nine just before it would end, nine more just after.
      assert.equal(await burst(0, 1), 1);
      assert.equal(await burst(59_000, 12), 9);
      // A fixed window starting again at 60 s would let ten more through; only the first attempt left.
      assert.equal(await burst(60_000, 12), 1);
      assert.equal(await burst(100_000, 5), 0);
      // The nine of 59 s leave together.
      assert.equal(await burst(118_999, 5), 0);
      assert.equal(await burst(119_000, 12), 9);
    });

    test('an attempt given back, or a key cleared, no longer counts', async () => {
      const { db } = handle.store;
      const now = new Date('2026-06-01T12:00:00Z');
      const first = await hitRateLimit(db, 'k-back', 1, 60_000, now);
      assert.equal((await hitRateLimit(db, 'k-back', 1, 60_000, now)).allowed, false);
      await giveBackHit(db, first.hitId!);
      assert.equal((await hitRateLimit(db, 'k-back', 1, 60_000, now)).allowed, true);
      await clearRateLimit(db, 'k-back');
      assert.equal((await hitRateLimit(db, 'k-back', 1, 60_000, now)).allowed, true);
    });

    if (engine === 'sqlite') {
      test('the embedded database is a private file in the data directory, in WAL mode', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'twofold-file-'));
        const store = await openStore({ dataDir: join(dir, 'data') });
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
        await store.close();
        assert.equal(mode.rows[0]!.journal_mode, 'wal');
        assert.equal(statSync(join(dir, 'data', 'twofold.sqlite')).mode & 0o777, 0o600);
        const reopened = await openStore({ dataDir: join(dir, 'data') });
        await reopened.close();
        rmSync(dir, { recursive: true, force: true });
      });

      test('a transaction that fails gives up the write lock at once: another connection writes without waiting', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'twofold-lock-'));
        const store = await openStore({ dataDir: dir });
        const other = new SQLite(join(dir, 'twofold.sqlite'), { timeout: 0 });
        try {
          await assert.rejects(store.db.transaction().execute(async (trx) => {
            await trx.insertInto('organizations').values(organization('l-rolled-back')).execute();
            throw new Error('stop');
          }), /stop/);
          // No wait at all: the failure's caller may tell another process, which writes right away.
          other.prepare('INSERT INTO organizations (id, name, two_step_epoch, tsv_master_administrators, tsv_administrators, tsv_technicians, tsv_primary_method, tsv_allowed_methods, pw_minimum_strength, pw_maximum_age_days, pw_expiry_notice_days, pw_admin_change_forces_change, created_at) VALUES (\'l-other\', \'Other\', 1, 0, 0, \'none\', \'totp\', \'totp\', \'good\', 0, 14, 0, 1)').run();
          // A unique violation, the way a taken email fails, ends the same way.
          await store.db.insertInto('organizations').values(organization('l-unique')).execute();
          await assert.rejects(store.db.transaction().execute((trx) => trx.insertInto('organizations').values(organization('l-unique')).execute()));
          other.prepare('DELETE FROM organizations WHERE id = \'l-other\'').run();
          const ids = (await store.db.selectFrom('organizations').select('id').where('id', 'like', 'l-%').execute()).map((r) => r.id);
          assert.deepEqual(ids, ['l-unique']);
        } finally {
          other.close();
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });

      test('a read outside a transaction hands back what the open batch holds only once it is committed', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'twofold-visibility-'));
        const store = await openStore({ dataDir: dir });
        try {
          // A change released into the batch whose commit then fails: a deferred foreign key is
          // checked only by COMMIT, so the batch is rolled back whole.
          const events: string[] = [];
          const writing = store.db.transaction().execute(async (trx) => {
            await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
            await trx.insertInto('technician_groups').values({
              id: 'v-orphan', organization_id: 'no-such-organization', parent_id: null, name: 'Orphan', description: '', enforce_two_step: 0, created_at: 1,
            }).execute();
          }).then(() => events.push('write committed'), () => events.push('write failed'));
          const reading = store.db.selectFrom('technician_groups').select('id').where('id', '=', 'v-orphan').execute()
            .then((rows) => events.push(`read answered ${rows.length}`), () => events.push('read failed'));
          await Promise.all([writing, reading]);
          // Without waiting for the commit, the read would answer with a row that never existed.
          assert.deepEqual(events, ['write failed', 'read failed']);
          assert.equal((await store.db.selectFrom('technician_groups').select('id').where('id', '=', 'v-orphan').execute()).length, 0);

          // A change that commits: the read sees it, answered no earlier than its writer.
          const order: string[] = [];
          await Promise.all([
            store.db.transaction().execute((trx) => trx.insertInto('organizations').values(organization('v-kept')).execute()).then(() => order.push('write')),
            store.db.selectFrom('organizations').select('id').where('id', '=', 'v-kept').execute().then((rows) => order.push(`read ${rows.length}`)),
          ]);
          assert.deepEqual(order, ['write', 'read 1']);
        } finally {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });

      test('a transaction that fails on a change of the open batch is answered only once the batch has ended', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'twofold-failed-visibility-'));
        const store = await openStore({ dataDir: dir });
        const other = new SQLite(join(dir, 'twofold.sqlite'), { timeout: 0 });
        // Whether the batch still holds the write lock, seen from another connection that does not wait.
        const batchEnded = () => {
          try { other.prepare('BEGIN IMMEDIATE').run(); other.prepare('ROLLBACK').run(); return true; } catch { return false; }
        };
        try {
          const events: string[] = [];
          // A's change is released into the batch, whose commit then fails on a deferred foreign key.
          const writing = store.db.transaction().execute(async (trx) => {
            await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
            await trx.insertInto('technician_groups').values({
              id: 'f-orphan', organization_id: 'no-such-organization', parent_id: null, name: 'Orphan', description: '', enforce_two_step: 0, created_at: 1,
            }).execute();
          }).then(() => events.push('write committed'), () => events.push('write failed'));
          // B fails because of A's row (as a second sign-up fails on an email the first has taken).
          const failing = store.db.transaction().execute(async (trx) => {
            const taken = await trx.selectFrom('technician_groups').select('id').where('id', '=', 'f-orphan').execute();
            if (taken.length > 0) throw new Error('taken');
          }).then(() => events.push('B succeeded'), (error: Error) => events.push(`B ${error.message}, batch ${batchEnded() ? 'ended' : 'open'}`));
          await Promise.all([writing, failing]);
          // B's answer rests on a row that never existed: it must not go out while that is unknown.
          assert.deepEqual(events.sort(), ['B taken, batch ended', 'write failed']);
          assert.equal((await store.db.selectFrom('technician_groups').select('id').where('id', '=', 'f-orphan').execute()).length, 0);
        } finally {
          other.close();
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}

for (const engine of engines()) {
  describe(`a rolling upgrade's schema on ${engine}`, () => {
    test('a node starts on a database a newer version migrated further, and a missing migration of its own still fails', async () => {
      const handle = await open(engine);
      try {
        // What a newer version's first node leaves: its migrations recorded after all of ours.
        await sql`insert into kysely_migration (name, timestamp) values ('999_a_newer_version', '2030-01-01T00:00:00.000Z')`.execute(handle.store.db);
        const restarted = await handle.reopen();
        assert.equal((await sql<{ n: number }>`select count(*) as n from organizations`.execute(restarted.db)).rows.length, 1);
        await restarted.close();
        // A gap among our own is still refused: the schema would lack what this code needs.
        await sql`delete from kysely_migration where name = '018_secret_key_check'`.execute(handle.store.db);
        await assert.rejects(handle.reopen(), /migration/);
      } finally {
        await handle.close();
      }
    });
  });
}
