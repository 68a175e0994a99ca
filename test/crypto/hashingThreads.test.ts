/**
 * The hashing threads: a bounded wait, so overload is answered at once with `busy` (503 with
 * Retry-After) instead of by a queue that grows without end; the jobs it accepted all complete.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TwofoldError } from '../../src/core/errors.ts';
import { hashPassword } from '../../src/crypto/passwords.ts';
import { HashingThreads } from '../../src/crypto/hashingThreads.ts';

/** Six password checks at once, alternately right and wrong: how each ended. */
async function sixChecks(threads: HashingThreads): Promise<PromiseSettledResult<string | boolean>[]> {
  const hash = await hashPassword('aB3$eF7g');
  return Promise.allSettled(Array.from({ length: 6 }, (_, i) =>
    threads.run({ kind: 'verify', hash, password: i % 2 === 0 ? 'aB3$eF7g' : 'wrong' })));
}

function assertRefusedAsBusy(refused: PromiseSettledResult<unknown>): void {
  assert.equal(refused.status, 'rejected');
  const reason = (refused as PromiseRejectedResult).reason as unknown;
  assert.ok(reason instanceof TwofoldError);
  assert.equal(reason.code, 'busy');
  assert.equal(reason.details.retryAfterSeconds, 1);
}

describe('hashing threads', () => {
  test('past the waiting jobs allowed, a job is refused with busy at once; the accepted ones all complete', async () => {
    // One thread, libuv's pool of that one thread: it holds two jobs (one hashing, the next in
    // libuv's queue), and at most two more wait.
    const threads = new HashingThreads(1, 2, 1);
    const answers = await sixChecks(threads);

    assert.deepEqual(answers.map((a) => a.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    assert.deepEqual(answers.slice(0, 4).map((a) => (a as PromiseFulfilledResult<boolean>).value), [true, false, true, false]);
    for (const refused of answers.slice(4)) assertRefusedAsBusy(refused);
    // Once the queue has drained, jobs are accepted again.
    assert.equal(await threads.run({ kind: 'verify', hash: await hashPassword('aB3$eF7g'), password: 'aB3$eF7g' }), true);
  });

  test('in a pool of another size, one job per hashing thread is handed over at a time', async () => {
    // libuv's default pool of four threads: a second job in it would be hashed beside the first.
    const threads = new HashingThreads(1, 2, 4);
    const answers = await sixChecks(threads);

    assert.deepEqual(answers.map((a) => a.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
    assert.deepEqual(answers.slice(0, 3).map((a) => (a as PromiseFulfilledResult<boolean>).value), [true, false, true]);
    for (const refused of answers.slice(3)) assertRefusedAsBusy(refused);
  });

  test('the number of threads is set before they start, not after', async () => {
    const fresh = new HashingThreads(2);
    fresh.size = 1;
    assert.equal(fresh.size, 1);
    await fresh.run({ kind: 'hash', password: 'aB3$eF7g', options: {} });
    assert.throws(() => { fresh.size = 3; }, /already started/);
  });
});
