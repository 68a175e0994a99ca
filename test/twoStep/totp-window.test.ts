/**
 * Rule: TOTP accepts the current time step ±1 at most, by the server's clock. docs/security.md S7
 * (RFC 6238 §5.2, §6): a code two steps early or late is refused; the clock is injected.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { totpStepAt } from '../../src/methods/totp.ts';
import { createTestApp, engines, type TestApp } from '../support/harness.ts';
import { enrolTotp, signInExpecting, totpNow, verify } from './_factors.ts';
import { addMember, expectProblem, factorRow, organizationWith } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`TOTP window on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function enrolled() {
      const org = await organizationWith(t, { administrators: true });
      const member = await addMember(t, org, { role: 'administrator' });
      const factor = await enrolTotp(t, member.email);
      // Two more steps on: the steps around "now" all come after the one used to confirm.
      t.clock.advance(60_000);
      return { member, factor };
    }

    test('codes two steps early or late are refused', async () => {
      const { member, factor } = await enrolled();
      const lastStep = (await factorRow(t, factor.factorId)).last_step;
      const tx = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed, -2)), 400, 'invalid_code');
      expectProblem(await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed, +2)), 400, 'invalid_code');
      assert.equal((await factorRow(t, factor.factorId)).last_step, lastStep);
      // The same transaction still completes with the current step.
      const ok = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('the previous and the next step are accepted', async () => {
      const { member, factor } = await enrolled();
      const previous = await signInExpecting(t, member.email, 'verify');
      const early = await verify(t, previous.id, factor.factorId, totpNow(t, factor.seed, -1));
      assert.equal(early.statusCode, 200, early.body);
      assert.equal((await factorRow(t, factor.factorId)).last_step, totpStepAt(t.clock.now()) - 1);

      const next = await signInExpecting(t, member.email, 'verify');
      const late = await verify(t, next.id, factor.factorId, totpNow(t, factor.seed, +1));
      assert.equal(late.statusCode, 200, late.body);
      assert.equal((await factorRow(t, factor.factorId)).last_step, totpStepAt(t.clock.now()) + 1);
    });

    test('the window follows the server clock at the edges of a step', async () => {
      const { member, factor } = await enrolled();
      // The last millisecond of a step: the code two steps later is still out of the window...
      const step = totpStepAt(t.clock.now());
      t.clock.set(new Date((step + 1) * 30_000 - 1));
      const tx = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed, +2)), 400, 'invalid_code');
      // ...and one millisecond later it is the next step's neighbour: accepted.
      const code = totpNow(t, factor.seed, +2);
      t.clock.advance(1);
      const ok = await verify(t, tx.id, factor.factorId, code);
      assert.equal(ok.statusCode, 200, ok.body);
    });
  });
}
