/**
 * Rule: a session's idle timeout costs no write per request. Its last use is written at most once per
 * TOUCH_INTERVAL_MS, and a burst of parallel requests on one session writes it once, not once each.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { authenticateSession, TOUCH_INTERVAL_MS } from '../../src/services/sessions.ts';
import { createTestApp, engines, newOrganization, tokenFor, type TestApp } from '../support/harness.ts';

/** Counts the rows that UPDATE statements on `sessions` changed. */
class SessionWrites implements KyselyPlugin {
  rows = 0;
  readonly #updates = new WeakSet<object>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (node.kind === 'UpdateQueryNode' && JSON.stringify(node.table).includes('"sessions"')) this.#updates.add(args.queryId);
    return node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#updates.has(args.queryId)) this.rows += Number(args.result.numAffectedRows ?? 0n);
    return args.result;
  }
}

for (const engine of engines()) {
  describe(`session last use on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('requests within the interval write nothing; a parallel burst after it writes once', async () => {
      const org = await newOrganization(t);
      const token = await tokenFor(t, org.email);
      const writes = new SessionWrites();
      const ctx = { ...t.ctx, db: t.ctx.db.withPlugin(writes) };
      const burst = async () => {
        const actors = await Promise.all(Array.from({ length: 20 }, () => authenticateSession(ctx, token, '127.0.0.1')));
        assert.ok(actors.every((a) => a !== null), 'every request of the burst is signed in');
      };

      t.clock.advance(TOUCH_INTERVAL_MS - 1000);
      await burst();
      assert.equal(writes.rows, 0, 'used within the interval: no write');

      t.clock.advance(1000);
      await burst();
      assert.equal(writes.rows, 1, 'one write for the whole burst');

      // The write moved the idle timeout on: an idle time after it, not after the sign-in, ends it.
      t.clock.advance(t.ctx.settings.sessionIdleMs - 1000);
      assert.notEqual(await authenticateSession(t.ctx, token, '127.0.0.1'), null);
    });
  });
}
