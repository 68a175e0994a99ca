/**
 * Work done after the answer (services/afterAnswer.ts), kept in the database until it is done: a node
 * runs its jobs one at a time, oldest first; a failing or hanging job is tried again later, then
 * dropped, and the next one still runs; the table is bounded; what a node leaves (queued by a process
 * that does not run jobs, or held by a node that died) is run by another; a kind a node does not know
 * waits for a node that does; two nodes never run a job twice.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { AfterAnswer, type AfterAnswerHandler, type AfterAnswerOptions } from '../../src/services/afterAnswer.ts';
import type { Context } from '../../src/services/context.ts';
import { openStore, type Store } from '../../src/storage/database.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

function recordingLog() {
  const warnings: string[] = [];
  return { warnings, log: { info: () => {}, error: () => {}, warn: (_: object, message?: string) => { warnings.push(message ?? ''); } } };
}

// The handlers here use only their payload.
const noContext = {} as Context;

for (const engine of engines()) {
  describe(`work after the answer on ${engine}`, () => {
    let store: Store;
    let database: TestDatabase | undefined;
    before(async () => {
      if (engine === 'postgres') database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
      store = await openStore({ databaseUrl: database?.url, dataDir: '/nonexistent', sqliteFile: ':memory:' });
    });
    after(async () => {
      await store.close();
      await database?.drop();
    });

    const node = (handlers: Record<string, AfterAnswerHandler>, options: AfterAnswerOptions & { clock?: () => Date } = {}) => {
      const { log, warnings } = recordingLog();
      const queue = new AfterAnswer(store.db, options.clock ?? (() => new Date()), log, options);
      queue.start(noContext, handlers);
      return { queue, warnings };
    };
    const waiting = async () => Number((await store.db.selectFrom('after_answer_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const until = async (done: () => Promise<boolean>) => {
      for (let i = 0; i < 300 && !(await done()); i++) await sleep(20);
      assert.ok(await done(), 'in time');
    };

    test('a node runs its jobs one at a time, in the order queued, and close runs those due', async () => {
      let running = 0;
      let most = 0;
      const done: number[] = [];
      const { queue } = node({
        step: async (_, payload: { i: number }) => {
          running++;
          most = Math.max(most, running);
          await sleep(2);
          running--;
          done.push(payload.i);
        },
      }, { maxDelayMs: 20 });
      for (let i = 0; i < 10; i++) await queue.queue('step', { i });
      await queue.close();
      assert.deepEqual(done, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.equal(most, 1);
      assert.equal(await waiting(), 0);
    });

    test('a job that fails, throws at once or hangs is tried again later, then dropped; the next one still runs', async () => {
      const tries: Record<string, number> = {};
      const tried = (kind: string) => { tries[kind] = (tries[kind] ?? 0) + 1; };
      const { queue, warnings } = node({
        rejecting: async () => { tried('rejecting'); throw new Error('no mail server'); },
        throwing: () => { tried('throwing'); throw new Error('at once'); },
        hanging: () => { tried('hanging'); return new Promise<void>(() => {}); },
        last: async () => { tried('last'); },
      }, { maxDelayMs: 0, jobTimeoutMs: 50, maxAttempts: 2, retryMs: 30, pollMs: 20 });
      for (const kind of ['rejecting', 'throwing', 'hanging', 'last']) await queue.queue(kind, {});
      // A kind this node does not know (a newer node's, during a rolling upgrade) is left alone.
      await queue.queue('newer', {});
      await until(async () => (await waiting()) === 1);
      assert.equal((await store.db.selectFrom('after_answer_jobs').select(['kind', 'attempts']).executeTakeFirstOrThrow()).attempts, 0);
      await store.db.deleteFrom('after_answer_jobs').execute();
      await queue.close();
      assert.deepEqual(tries, { rejecting: 2, throwing: 2, hanging: 2, last: 1 });
      assert.equal(warnings.filter((w) => w === 'work after the answer failed; it will be tried again').length, 3);
      assert.equal(warnings.filter((w) => w === 'work after the answer failed every time and was dropped').length, 3);
    });

    test('past its bound, a new job is dropped with a warning', async () => {
      // Queued by a process that does not run jobs (a command of the CLI, say).
      const { log, warnings } = recordingLog();
      const producer = new AfterAnswer(store.db, () => new Date(), log, { maxWaiting: 2 });
      for (let i = 0; i < 5; i++) await producer.queue('job', { i });
      assert.equal(await waiting(), 2);
      assert.deepEqual(warnings, Array(3).fill('work after the answer was dropped: too much is waiting'));
      await producer.close();
      // Those kept are run by the next node.
      const ran: number[] = [];
      const { queue } = node({ job: async (_, payload: { i: number }) => { ran.push(payload.i); } });
      await until(async () => (await waiting()) === 0);
      await queue.close();
      assert.deepEqual(ran, [0, 1]);
    });

    test('a job held by a node that died is run by another once its lease has ended', async () => {
      const start = Date.now();
      // As a node leaves it when killed while running it: taken once, held for another minute.
      await store.db.insertInto('after_answer_jobs').values({
        id: '0190b2c4-7c1e-7000-8000-00000000dead', kind: 'send', payload: JSON.stringify({ to: 'a@example.test' }),
        attempts: 1, not_before: start, lease_until: start + 60_000, created_at: start,
      }).execute();
      let now = start;
      const sent: string[] = [];
      const { queue } = node({ send: async (_, payload: { to: string }) => { sent.push(payload.to); } }, { clock: () => new Date(now), pollMs: 20 });
      await sleep(100);
      assert.deepEqual(sent, [], 'not while the lease holds');
      now = start + 60_001;
      await until(async () => sent.length === 1);
      await queue.close();
      assert.deepEqual(sent, ['a@example.test']);
      assert.equal(await waiting(), 0);
    });

    test('two nodes taking jobs at once run each exactly once', async () => {
      const ran: number[] = [];
      const handlers = { job: async (_: Context, payload: { i: number }) => { await sleep(1); ran.push(payload.i); } };
      const { log } = recordingLog();
      const producer = new AfterAnswer(store.db, () => new Date(), log);
      for (let i = 0; i < 40; i++) await producer.queue('job', { i });
      const nodes = [node(handlers, { pollMs: 10 }), node(handlers, { pollMs: 10 })];
      await until(async () => (await waiting()) === 0);
      await Promise.all(nodes.map(({ queue }) => queue.close()));
      assert.deepEqual([...ran].sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i));
    });
  });
}
