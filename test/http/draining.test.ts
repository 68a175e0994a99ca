/**
 * Draining: a node told to stop answers /readyz 503 `not_ready` while it still serves, and asks every
 * client to close its keep-alive connection, so the load balancer moves requests to other nodes
 * before this one stops listening. (The real SIGTERM path is in test/nodes/.)
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { expectProblem } from '../twoStep/_fixtures.ts';

for (const engine of engines()) {
  describe(`draining on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('ready until draining; then not ready, still live and serving, each answer closing its connection', async () => {
      const ready = await call(t, 'GET', '/readyz');
      assert.equal(ready.statusCode, 200);
      assert.notEqual(ready.headers.connection, 'close');

      t.app.draining = true;
      try {
        const readiness = await call(t, 'GET', '/readyz');
        expectProblem(readiness, 503, 'not_ready');
        assert.equal(readiness.headers.connection, 'close');
        const health = await call(t, 'GET', '/healthz');
        assert.equal(health.statusCode, 200, 'still live: the process is not to be restarted');
        assert.equal(health.headers.connection, 'close');
      } finally {
        t.app.draining = false;
      }
    });
  });
}
