/**
 * Limit: 5 wrong codes end a sign-in transaction (docs/two-step-verification.md "Limits"), race-free under parallel
 * requests. docs/security.md S2 (ASVS 15.4.2, check and act atomically): 20 parallel wrong codes are all
 * counted that may be counted, no more: the transaction takes exactly 5 and fails, the factor's
 * failure count rises by exactly those 5; the failed transaction answers `transaction_failed` to
 * everything after, and its state says `failed`.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { holdRowLocks, lockWaiters } from '../support/postgres.ts';
import { bindTotp, confirm, enrolTotp, signInExpecting, totpNow, verify, wrongTotp } from './_factors.ts';
import { codeCounts, expectProblem, factorRow, requiredTechnician, transactionFailures } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`five wrong codes end a transaction on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const technician = async () => (await requiredTechnician(t)).member;

    test('20 parallel wrong codes: exactly 5 counted, the transaction fails', async () => {
      const member = await technician();
      const factor = await enrolTotp(t, member.email);
      const failuresBefore = (await factorRow(t, factor.factorId)).failures;
      const tx = await signInExpecting(t, member.email, 'verify');

      const wrong = Array.from({ length: 20 }, (_, i) => wrongTotp(t, factor.seed, i));
      const responses = await Promise.all(wrong.map((code) => verify(t, tx.id, factor.factorId, code)));
      // Four wrong codes are answered as such, the fifth ends the transaction, the rest find it ended.
      assert.deepEqual(codeCounts(responses), { invalid_code: 4, transaction_failed: 16 });
      for (const r of responses) assert.equal(r.statusCode, r.json().code === 'invalid_code' ? 400 : 410);

      assert.equal(await transactionFailures(t, tx.id), 5);
      assert.equal((await factorRow(t, factor.factorId)).failures, failuresBefore + 5);
      const state = expectProblem(await call(t, 'GET', `/api/v1/transactions/${tx.id}`), 410, 'transaction_failed');
      assert.equal(state.state, 'failed');
      assert.equal(state.session, undefined);

      // Even the right code does nothing now, and counts nothing.
      expectProblem(await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed)), 410, 'transaction_failed');
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/challenges`, { factorId: factor.factorId }), 410, 'transaction_failed');
      assert.equal(await transactionFailures(t, tx.id), 5);
      assert.equal((await factorRow(t, factor.factorId)).failures, failuresBefore + 5);

      // A new sign-in starts afresh.
      const fresh = await signInExpecting(t, member.email, 'verify');
      const ok = await verify(t, fresh.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((await factorRow(t, factor.factorId)).failures, 0, 'a success clears the factor count');
    });

    test('one at a time: the attempts left go down, the fifth wrong code fails the transaction', async () => {
      const member = await technician();
      const factor = await enrolTotp(t, member.email);
      const tx = await signInExpecting(t, member.email, 'verify');
      for (const left of [4, 3, 2, 1]) {
        const body = expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, left)), 400, 'invalid_code');
        assert.equal(body.attemptsRemaining, left);
      }
      expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, 9)), 410, 'transaction_failed');
      expectProblem(await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed)), 410, 'transaction_failed');
    });

    test('four wrong codes and then the right one still complete the sign-in', async () => {
      const member = await technician();
      const factor = await enrolTotp(t, member.email);
      const tx = await signInExpecting(t, member.email, 'verify');
      for (let i = 0; i < 4; i++) await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i));
      const ok = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().state, 'complete');
    });

    test('in set-up, right codes do not count against the five: confirming after four wrong codes activates', async () => {
      const member = await technician();
      const tx = await signInExpecting(t, member.email, 'setup');
      const pending = await bindTotp(t, tx.id);
      for (let i = 0; i < 4; i++) expectProblem(await confirm(t, tx.id, pending.factorId, wrongTotp(t, pending.seed, i)), 400, 'invalid_code');
      const confirmed = await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed));
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().state, 'setup');
      assert.equal(await transactionFailures(t, tx.id), 4);
      const activated = await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`);
      assert.equal(activated.statusCode, 200, activated.body);
      assert.equal(activated.json().state, 'complete');
    });

    test('20 parallel wrong codes while confirming a new factor: 5 counted, the set-up fails', async () => {
      const member = await technician();
      const tx = await signInExpecting(t, member.email, 'setup');
      const pending = await bindTotp(t, tx.id);
      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => confirm(t, tx.id, pending.factorId, wrongTotp(t, pending.seed, i))));
      assert.deepEqual(codeCounts(responses), { invalid_code: 4, transaction_failed: 16 });
      assert.equal((await factorRow(t, pending.factorId)).failures, 5);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`), 410, 'transaction_failed');
      assert.equal(expectProblem(await call(t, 'GET', `/api/v1/transactions/${tx.id}`), 410, 'transaction_failed').state, 'failed');
    });

    if (engine === 'postgres') {
      test('codes waiting behind the fifth wrong one all answer transaction_failed, the right one too, even once it locked the factor', async () => {
        const member = await technician();
        const factor = await enrolTotp(t, member.email);
        // Five failures from earlier sign-ins: this transaction's fifth wrong code is the factor's
        // tenth, and locks it. A right code tried after that would answer factor_locked instead.
        await t.ctx.db.updateTable('factors').set({ failures: 5 }).where('id', '=', factor.factorId).execute();
        const tx = await signInExpecting(t, member.email, 'verify');
        const lastStep = (await factorRow(t, factor.factorId)).last_step;
        // Requests queue on the member's row, in the order they arrive, while a test transaction holds it.
        const lock = await holdRowLocks(t.ctx.db, (trx) => trx.selectFrom('members').select('id').where('id', '=', member.id).forUpdate().execute());
        const waiting = (n: number) => lockWaiters(t.ctx.db, n);
        const responses: Array<Promise<LightMyRequestResponse>> = [];
        let right: Promise<LightMyRequestResponse>;
        let wrong: Promise<LightMyRequestResponse>;
        try {
          for (let i = 0; i < 5; i++) {
            responses.push(verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i)));
            await waiting(i + 1);
          }
          right = verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
          await waiting(6);
          wrong = verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, 9));
          await waiting(7);
        } finally {
          await lock.release();
        }
        assert.deepEqual(codeCounts(await Promise.all(responses)), { invalid_code: 4, transaction_failed: 1 });
        expectProblem(await right, 410, 'transaction_failed');
        expectProblem(await wrong, 410, 'transaction_failed');
        // The right code was not tried: its step was not used, and no session was issued.
        const row = await factorRow(t, factor.factorId);
        assert.deepEqual([row.failures, row.last_step], [10, lastStep]);
        assert.equal(await transactionFailures(t, tx.id), 5);
      });
    }
  });
}
