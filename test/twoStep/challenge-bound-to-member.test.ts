/**
 * Threat: moving a challenge to another member by changing an id in the request (IDOR).
 * docs/security.md S20 (WSTG): the challenge is bound server-side to the member from the password step.
 * Another member's factor id in verify, challenges or confirm is refused, and nothing moves: no
 * failure is counted anywhere, no code is consumed or sent, no factor changes hands. Extra fields
 * (a member id, say) are refused by the strict schemas rather than ignored.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { activate, bindTotp, challenge, confirm, enrolSentCode, enrolTotp, newPhone, signInExpecting, totpNow, verify } from './_factors.ts';
import { addGroup, addMember, expectProblem, factorRow, organizationWith, sentTo, transactionFailures } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`challenges are bound to the member on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function twoTechnicians(primaryMethod: 'totp' | 'sms' = 'totp') {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod });
      const group = await addGroup(t, org);
      return { org, alice: await addMember(t, org, { technicianGroupId: group }), bob: await addMember(t, org, { technicianGroupId: group }) };
    }

    test("verify with another member's factor and its valid code: refused, nothing moves", async () => {
      const { alice, bob } = await twoTechnicians();
      await enrolTotp(t, alice.email);
      const bobFactor = await enrolTotp(t, bob.email);
      const before = await factorRow(t, bobFactor.factorId);

      const tx = await signInExpecting(t, alice.email, 'verify');
      const code = totpNow(t, bobFactor.seed);
      expectProblem(await verify(t, tx.id, bobFactor.factorId, code), 400, 'factor_not_offered');
      assert.equal(await transactionFailures(t, tx.id), 0);
      assert.deepEqual(await factorRow(t, bobFactor.factorId), before, "Bob's factor is untouched");
      assert.equal((await call(t, 'GET', `/api/v1/transactions/${tx.id}`)).json().state, 'verify');

      // The code was not consumed: Bob still signs in with it.
      const bobTx = await signInExpecting(t, bob.email, 'verify');
      assert.equal((await verify(t, bobTx.id, bobFactor.factorId, code)).statusCode, 200);
    });

    test("no code is sent to another member's phone", async () => {
      const { alice, bob } = await twoTechnicians('sms');
      await enrolSentCode(t, alice.email, 'sms', newPhone());
      const bobPhone = newPhone();
      const bobFactor = await enrolSentCode(t, bob.email, 'sms', bobPhone);
      const sent = sentTo(t, bobPhone).length;

      const tx = await signInExpecting(t, alice.email, 'verify');
      expectProblem(await challenge(t, tx.id, bobFactor.factorId), 400, 'factor_not_offered');
      assert.equal(sentTo(t, bobPhone).length, sent);
    });

    test("set-up cannot confirm or take over another member's pending factor", async () => {
      const { alice, bob } = await twoTechnicians();
      const aliceTx = await signInExpecting(t, alice.email, 'setup');
      const bobTx = await signInExpecting(t, bob.email, 'setup');
      const bobPending = await bindTotp(t, bobTx.id);

      expectProblem(await confirm(t, aliceTx.id, bobPending.factorId, totpNow(t, bobPending.seed)), 404, 'not_found');
      assert.equal(await transactionFailures(t, aliceTx.id), 0);
      const row = await factorRow(t, bobPending.factorId);
      assert.equal(row.member_id, bob.id);
      assert.equal(row.confirmed_at, null);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${aliceTx.id}/activate`), 409, 'primary_factor_required');

      // Bob's own set-up is unaffected and completes with the same code.
      assert.equal((await confirm(t, bobTx.id, bobPending.factorId, totpNow(t, bobPending.seed))).statusCode, 200);
      await activate(t, bobTx.id);
      assert.equal((await factorRow(t, bobPending.factorId)).member_id, bob.id);
    });

    test('a member id or any other extra field in the request is refused, not ignored', async () => {
      const { alice, bob } = await twoTechnicians();
      const factor = await enrolTotp(t, alice.email);
      const tx = await signInExpecting(t, alice.email, 'verify');
      for (const extra of [{ memberId: bob.id }, { email: bob.email }, { transactionId: 'x' }]) {
        const response = await call(t, 'POST', `/api/v1/transactions/${tx.id}/verify`, { factorId: factor.factorId, code: totpNow(t, factor.seed), ...extra });
        expectProblem(response, 400, 'validation_failed');
      }
      assert.equal(await transactionFailures(t, tx.id), 0);
      assert.equal((await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed))).statusCode, 200);
    });
  });
}
