/**
 * What a sign-in reads, each statement being a round trip on PostgreSQL: the password step reads the
 * member by email, then, opening the transaction, the policy, the group's setting, the factors and
 * whether a recovery code is left in one query; the verify step reads the transaction, its member,
 * the policy and the factor asked for in one query. That read offers only a factor of the
 * transaction's member that counts now: one being set up, or one retired by a reset of everyone, is
 * not offered even with its right code, and nothing is counted or consumed.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../src/crypto/tokens.ts';
import { generateTotpSeed } from '../../src/methods/totp.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { signInExpecting, totpNow, verify } from './_factors.ts';
import { expectProblem, factorRow, technicianWithTotp, transactionFailures } from './_fixtures.ts';
import { queriesDuring } from './_statements.ts';

for (const engine of engines()) {
  describe(`a sign-in's reads on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('the password step: the member by email, then one read opens the transaction', async () => {
      const { member } = await technicianWithTotp(t);
      let tx: Awaited<ReturnType<typeof signInExpecting>> | undefined;
      const queries = await queriesDuring(t, async () => { tx = await signInExpecting(t, member.email, 'verify'); });
      const reads = queries.filter((sql) => /^select/i.test(sql) && !/for update$/i.test(sql));
      assert.equal(reads.length, 2, reads.join('\n'));
      assert.match(reads[0]!, /from "members" where "email" =/);
      assert.match(reads[1]!, /from "members".*join "factors"/s);
      assert.equal(tx!.factors.length, 1);
    });

    test('a right code: one read (after the member\'s lock on PostgreSQL) finds the transaction and the factor', async () => {
      const { member, totp } = await technicianWithTotp(t);
      const tx = await signInExpecting(t, member.email, 'verify');
      const queries = await queriesDuring(t, async () => {
        const done = await verify(t, tx.id, totp.factorId, totpNow(t, totp.seed));
        assert.equal(done.statusCode, 200, done.body);
        assert.equal(done.json().state, 'complete');
      });
      const reads = queries.filter((sql) => /^select/i.test(sql) && !/for update$/i.test(sql));
      assert.equal(reads.length, 1, reads.join('\n'));
      assert.match(reads[0]!, /from "transactions".*join "factors"/s);
    });

    for (const kind of ['being set up', 'retired by a reset of everyone'] as const) {
      test(`a factor ${kind}, with its right code, is not offered, and nothing moves`, async () => {
        const { member, totp } = await technicianWithTotp(t);
        const current = await factorRow(t, totp.factorId);
        const seed = generateTotpSeed();
        const other = newId();
        await t.ctx.db.insertInto('factors').values({
          ...current, id: other, label: 'Other phone', secret: t.ctx.secretBox.seal(seed, other), last_step: null,
          ...(kind === 'being set up' ? { active: 0, setup_transaction_id: 'another-set-up' } : { epoch: current.epoch - 1 }),
        }).execute();
        const before = await factorRow(t, other);

        const tx = await signInExpecting(t, member.email, 'verify');
        expectProblem(await verify(t, tx.id, other, totpNow(t, seed)), 400, 'factor_not_offered');
        assert.equal(await transactionFailures(t, tx.id), 0);
        assert.deepEqual(await factorRow(t, other), before);
        assert.equal((await call(t, 'GET', `/api/v1/transactions/${tx.id}`)).json().state, 'verify');
        // The member's factor that counts still completes the transaction.
        assert.equal((await verify(t, tx.id, totp.factorId, totpNow(t, totp.seed))).json().state, 'complete');
      });
    }
  });
}
