/**
 * Threat: SMS and email as a cost and harassment vector. security.md 18 (WSTG; MFA-CS) and issue 3
 * "Limits": a resend waits 30 s; at most 5 messages per member per 15 minutes; a limit per client
 * IP. Refusals are `rate_limited` (429) with Retry-After, and nothing is sent.
 */
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { challenge, enrolSentCode, newPhone, signInExpecting } from './_factors.ts';
import { addGroup, addMember, callFrom, expectProblem, organizationWith, sentTo, type OrgWithAdmin } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`sending limits on ${engine}`, () => {
    // A server per test: the limits count per member and per IP for 15 minutes.
    let t: TestApp;
    beforeEach(async () => { t = await createTestApp({ engine }); });
    afterEach(async () => { await t.close(); });

    async function smsMember(org?: OrgWithAdmin) {
      const organization = org ?? await organizationWith(t, { technicians: 'all', primaryMethod: 'sms' });
      const member = await addMember(t, organization, { technicianGroupId: await addGroup(t, organization) });
      const phone = newPhone();
      const { factorId } = await enrolSentCode(t, member.email, 'sms', phone);
      return { org: organization, member, phone, factorId };
    }

    test('a resend waits 30 seconds', async () => {
      const { member, phone, factorId } = await smsMember();
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.equal((await challenge(t, tx.id, factorId)).statusCode, 201);
      const sent = sentTo(t, phone).length;

      const soon = await challenge(t, tx.id, factorId);
      expectProblem(soon, 429, 'rate_limited');
      assert.equal(soon.headers['retry-after'], '30');
      t.clock.advance(29_000);
      const still = await challenge(t, tx.id, factorId);
      expectProblem(still, 429, 'rate_limited');
      assert.equal(still.headers['retry-after'], '1');
      assert.equal(sentTo(t, phone).length, sent, 'nothing sent while waiting');

      t.clock.advance(1_000);
      assert.equal((await challenge(t, tx.id, factorId)).statusCode, 201);
      assert.equal(sentTo(t, phone).length, sent + 1);
    });

    test('at most 5 messages per member in 15 minutes', async () => {
      const { member, phone, factorId } = await smsMember();
      // The set-up code was the first of five.
      const tx = await signInExpecting(t, member.email, 'verify');
      for (let i = 0; i < 4; i++) {
        assert.equal((await challenge(t, tx.id, factorId)).statusCode, 201);
        t.clock.advance(30_000);
      }
      assert.equal(sentTo(t, phone).length, 5);
      const refused = await challenge(t, tx.id, factorId);
      expectProblem(refused, 429, 'rate_limited');
      // The window opened with the set-up code, 2.5 minutes ago.
      assert.equal(refused.headers['retry-after'], String(15 * 60 - 150));
      // A new sign-in does not start a new allowance.
      const again = await signInExpecting(t, member.email, 'verify');
      expectProblem(await challenge(t, again.id, factorId), 429, 'rate_limited');
      assert.equal(sentTo(t, phone).length, 5);

      t.clock.advance((15 * 60 - 150) * 1000);
      const later = await signInExpecting(t, member.email, 'verify');
      assert.equal((await challenge(t, later.id, factorId)).statusCode, 201);
      assert.equal(sentTo(t, phone).length, 6);
    });

    test('the member limit is per member: another member still receives codes', async () => {
      const first = await smsMember();
      const second = await smsMember(first.org);
      const tx = await signInExpecting(t, first.member.email, 'verify');
      for (let i = 0; i < 4; i++) {
        await challenge(t, tx.id, first.factorId);
        t.clock.advance(30_000);
      }
      expectProblem(await challenge(t, tx.id, first.factorId), 429, 'rate_limited');
      const other = await signInExpecting(t, second.member.email, 'verify');
      assert.equal((await challenge(t, other.id, second.factorId)).statusCode, 201);
    });

    test('at most 20 messages per client IP in 15 minutes, whoever they are for', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'sms' });
      const members: Array<Awaited<ReturnType<typeof smsMember>>> = [];
      for (let i = 0; i < 6; i++) members.push(await smsMember(org));
      const transactions: TransactionBody[] = [];
      for (const m of members) transactions.push(await signInExpecting(t, m.member.email, 'verify'));

      const ip = '203.0.113.7';
      const send = (i: number, from = ip) =>
        callFrom(t, from, 'POST', `/api/v1/transactions/${transactions[i]!.id}/challenges`, { factorId: members[i]!.factorId });
      // Four codes to each of five members from one address: 20, each member within their own five.
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 5; i++) assert.equal((await send(i)).statusCode, 201, `round ${round}, member ${i}`);
        t.clock.advance(30_000);
      }
      const refused = await send(5);
      expectProblem(refused, 429, 'rate_limited');
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.equal(sentTo(t, members[5]!.phone).length, 1, 'only the set-up code');
      // The refused send counted nothing for the member: from another address they get a code at
      // once, with no resend wait started by the refusal.
      assert.equal((await send(5, '198.51.100.9')).statusCode, 201);
      assert.equal(sentTo(t, members[5]!.phone).length, 2);
    });
  });
}
