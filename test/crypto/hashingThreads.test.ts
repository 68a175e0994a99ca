/**
 * The hashing threads: a bounded wait, so overload is answered at once with `busy` (503 with
 * Retry-After) instead of by a queue that grows without end; the jobs it accepted all complete.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { TwofoldError } from '../../src/core/errors.ts';
import { hashPassword } from '../../src/crypto/passwords.ts';
import { HashingThreads } from '../../src/crypto/hashingThreads.ts';

describe('hashing threads', () => {
  // One thread holding two jobs in its inbox, and at most two more waiting.
  const threads = new HashingThreads(1, 2);
  after(async () => { await threads.close(); });

  test('past the waiting jobs allowed, a job is refused with busy at once; the accepted ones all complete', async () => {
    const hash = await hashPassword('aB3$eF7g');
    const answers = await Promise.allSettled(Array.from({ length: 6 }, (_, i) =>
      threads.run({ kind: 'verify', hash, password: i % 2 === 0 ? 'aB3$eF7g' : 'wrong' })));

    assert.deepEqual(answers.map((a) => a.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    assert.deepEqual(answers.slice(0, 4).map((a) => (a as PromiseFulfilledResult<boolean>).value), [true, false, true, false]);
    for (const refused of answers.slice(4)) {
      assert.equal(refused.status, 'rejected');
      const reason = (refused as PromiseRejectedResult).reason as unknown;
      assert.ok(reason instanceof TwofoldError);
      assert.equal(reason.code, 'busy');
      assert.equal(reason.details.retryAfterSeconds, 1);
    }
    // Once the queue has drained, jobs are accepted again.
    assert.equal(await threads.run({ kind: 'verify', hash, password: 'aB3$eF7g' }), true);
  });

  test('the number of threads is set before they start, not after', () => {
    const fresh = new HashingThreads(2);
    fresh.size = 1;
    assert.equal(fresh.size, 1);
    assert.throws(() => { threads.size = 3; }, /already started/);
  });
});
