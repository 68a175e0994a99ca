/**
 * The sliding-window limits (src/storage/rateLimit.ts), on their own: an attempt is counted only
 * while fewer than the limit lie in the window, the count and the insert being one conditional
 * statement under the key's lock; a refused attempt is not recorded and says when the oldest counted
 * one leaves the window; parallel attempts on one key never pass the limit together.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { giveBackHitAndClear, hitRateLimit } from '../../src/storage/rateLimit.ts';
import { createTestApp, engines, type TestApp } from '../support/harness.ts';

const MINUTE = 60_000;
const at = (minutes: number) => new Date(Date.UTC(2026, 5, 1, 12) + minutes * MINUTE);

for (const engine of engines()) {
  describe(`sliding-window rate limits on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(() => t.close());

    const hitsOf = async (key: string) => (await t.ctx.db.selectFrom('rate_limit_hits').select('counted_at').where('key', '=', key).orderBy('counted_at').execute())
      .map((row) => Number(row.counted_at));

    test('three in ten minutes: the fourth waits until the first leaves the window, and is not recorded', async () => {
      const key = 'window';
      for (const minute of [0, 1, 2]) {
        const hit = await hitRateLimit(t.ctx.db, key, 3, 10 * MINUTE, at(minute));
        assert.deepEqual({ allowed: hit.allowed, retryAfterMs: hit.retryAfterMs }, { allowed: true, retryAfterMs: 0 });
        assert.ok(hit.hitId);
      }
      const refused = await hitRateLimit(t.ctx.db, key, 3, 10 * MINUTE, at(3));
      assert.deepEqual(refused, { allowed: false, retryAfterMs: 7 * MINUTE, hitId: null });
      assert.deepEqual(await hitsOf(key), [0, 1, 2].map((m) => at(m).getTime()));
      // A moment before the tenth minute the first is still in the window; at the tenth it has left.
      assert.deepEqual(await hitRateLimit(t.ctx.db, key, 3, 10 * MINUTE, new Date(at(10).getTime() - 1)), { allowed: false, retryAfterMs: 1, hitId: null });
      assert.equal((await hitRateLimit(t.ctx.db, key, 3, 10 * MINUTE, at(10))).allowed, true);
      // The second is now the oldest in the window: the next is refused until it leaves.
      assert.equal((await hitRateLimit(t.ctx.db, key, 3, 10 * MINUTE, at(10.5))).retryAfterMs, 0.5 * MINUTE);
    });

    test('keys count apart', async () => {
      assert.equal((await hitRateLimit(t.ctx.db, 'one', 1, MINUTE, at(0))).allowed, true);
      assert.equal((await hitRateLimit(t.ctx.db, 'one', 1, MINUTE, at(0))).allowed, false);
      assert.equal((await hitRateLimit(t.ctx.db, 'other', 1, MINUTE, at(0))).allowed, true);
    });

    test('a right password gives its address the attempt back and clears the member\'s, and nothing else', async () => {
      const address = await hitRateLimit(t.ctx.db, 'address', 5, 10 * MINUTE, at(0));
      await hitRateLimit(t.ctx.db, 'address', 5, 10 * MINUTE, at(1));
      for (const minute of [0, 1, 2]) await hitRateLimit(t.ctx.db, 'member', 5, 10 * MINUTE, at(minute));
      await hitRateLimit(t.ctx.db, 'another member', 5, 10 * MINUTE, at(0));
      await giveBackHitAndClear(t.ctx.db, address.hitId, 'member');
      assert.deepEqual(await hitsOf('address'), [at(1).getTime()]);
      assert.deepEqual(await hitsOf('member'), []);
      assert.equal((await hitsOf('another member')).length, 1);
      // Without an address (a signed-in member's own password), only the clearing.
      await hitRateLimit(t.ctx.db, 'member', 5, 10 * MINUTE, at(3));
      await giveBackHitAndClear(t.ctx.db, null, 'member');
      assert.deepEqual(await hitsOf('member'), []);
      assert.equal((await hitsOf('address')).length, 1);
    });

    test('twenty parallel attempts on one key with a limit of five: five pass, five are recorded', async () => {
      const key = 'parallel';
      const results = await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(t.ctx.db, key, 5, 10 * MINUTE, at(0))));
      assert.equal(results.filter((r) => r.allowed).length, 5);
      assert.ok(results.filter((r) => !r.allowed).every((r) => r.retryAfterMs === 10 * MINUTE && r.hitId === null));
      assert.equal((await hitsOf(key)).length, 5);
    });
  });
}
