/**
 * Limit: a sign-in transaction expires 10 minutes after the password step (docs/two-step-verification.md "Limits"
 * and "Signing in": an expired transaction answers every further request with `transaction_expired` and its
 * state says `expired`). An expired transaction completes nothing, whatever the code.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { bindTotp, confirm, enrolTotp, signInExpecting, totpNow, verify } from './_factors.ts';
import { expectProblem, factorRow, requiredTechnician, transactionFailures } from './_fixtures.ts';

const TEN_MINUTES = 10 * 60_000;

for (const engine of engines()) {
  describe(`transaction expiry on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const technician = async () => (await requiredTechnician(t)).member;

    test('a verify transaction expires after 10 minutes', async () => {
      const member = await technician();
      const factor = await enrolTotp(t, member.email);
      const started = t.clock.now().getTime();
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.equal(tx.expiresAt, new Date(started + TEN_MINUTES).toISOString());

      t.clock.advance(TEN_MINUTES - 1);
      assert.equal((await call(t, 'GET', `/api/v1/transactions/${tx.id}`)).json().state, 'verify');
      t.clock.advance(1);
      // Every further request, this read included, is answered with the problem, its state in it.
      const view = expectProblem(await call(t, 'GET', `/api/v1/transactions/${tx.id}`), 410, 'transaction_expired');
      assert.equal(view.state, 'expired');
      assert.equal(view.factors, undefined);

      const lastStep = (await factorRow(t, factor.factorId)).last_step;
      expectProblem(await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed)), 410, 'transaction_expired');
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/challenges`, { factorId: factor.factorId }), 410, 'transaction_expired');
      assert.equal(await transactionFailures(t, tx.id), 0);
      const row = await factorRow(t, factor.factorId);
      assert.equal(row.last_step, lastStep, 'the code was not consumed');
      assert.equal(row.failures, 0);

      // The same code completes a new sign-in.
      const fresh = await signInExpecting(t, member.email, 'verify');
      assert.equal((await verify(t, fresh.id, factor.factorId, totpNow(t, factor.seed))).statusCode, 200);
    });

    test('a set-up transaction expires too: nothing can be bound, confirmed or activated', async () => {
      const member = await technician();
      const tx = await signInExpecting(t, member.email, 'setup');
      const pending = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      t.clock.advance(TEN_MINUTES);

      assert.equal(expectProblem(await call(t, 'GET', `/api/v1/transactions/${tx.id}`), 410, 'transaction_expired').state, 'expired');
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'totp' }), 410, 'transaction_expired');
      expectProblem(await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed)), 410, 'transaction_expired');
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`), 410, 'transaction_expired');
      // The confirmed factor never became active: the next sign-in sets up again.
      assert.equal((await factorRow(t, pending.factorId)).active, 0);
      await signInExpecting(t, member.email, 'setup');
    });

    test('an expired transaction stays expired: wrong codes do not turn it into failed', async () => {
      const member = await technician();
      const factor = await enrolTotp(t, member.email);
      const tx = await signInExpecting(t, member.email, 'verify');
      t.clock.advance(TEN_MINUTES + 1);
      for (let i = 0; i < 6; i++) expectProblem(await verify(t, tx.id, factor.factorId, '000000'), 410, 'transaction_expired');
      assert.equal(expectProblem(await call(t, 'GET', `/api/v1/transactions/${tx.id}`), 410, 'transaction_expired').state, 'expired');
    });
  });
}
