/**
 * Threat: SMS and email as a cost and harassment vector. docs/security.md S18 (WSTG; MFA-CS) and
 * docs/two-step-verification.md "Limits": a resend waits 30 s; at most 5 messages per member per 15 minutes; a limit per client
 * IP. Refusals are `rate_limited` (429) with Retry-After, and nothing is sent.
 */
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../src/crypto/tokens.ts';
import { createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { activate, bindSentCode, challenge, enrolSentCode, newPhone, signInExpecting } from './_factors.ts';
import {
  addGroup, addMember, callFrom, codeCounts, expectProblem, factorRow, organizationWith, sentTo, type OrgWithAdmin,
} from './_fixtures.ts';

const MINUTE = 60_000;

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

    test('a member who has just set text messages up gets a code when signing in at once', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'sms' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const phone = newPhone();
      const setup = await signInExpecting(t, member.email, 'setup');
      const factorId = await bindSentCode(t, setup.id, 'sms', phone);
      await activate(t, setup.id);
      const sent = sentTo(t, phone).length;

      // No time passes: the set-up's code was used, so it holds no wait.
      const tx = await signInExpecting(t, member.email, 'verify');
      const asked = await challenge(t, tx.id, factorId);
      assert.equal(asked.statusCode, 201, asked.body);
      assert.equal(sentTo(t, phone).length, sent + 1);
      // A code sent and not used still holds the wait.
      expectProblem(await challenge(t, tx.id, factorId), 429, 'rate_limited');
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

    test('the window slides: no 15 minutes ever hold more than 5, also across where a fixed window would start again', async () => {
      const t0 = t.clock.now().getTime();
      const { member, phone, factorId } = await smsMember();
      const answers: Array<[number, number]> = [];
      for (const minute of [13, 13.5, 14, 14.5, 15, 15.5, 16, 16.5, 17]) {
        t.clock.set(new Date(t0 + minute * MINUTE));
        const tx = await signInExpecting(t, member.email, 'verify');
        const response = await challenge(t, tx.id, factorId);
        answers.push([minute, response.statusCode]);
        if (minute === 17) assert.equal(response.headers['retry-after'], String(11 * 60), 'the code sent at 13 minutes leaves the window at 28');
      }
      // The set-up code (at 0) leaves the window at 15, making room for exactly one more.
      assert.deepEqual(answers, [[13, 201], [13.5, 201], [14, 201], [14.5, 201], [15, 201], [15.5, 429], [16, 429], [16.5, 429], [17, 429]]);
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

    // The limits under parallel requests: each is counted and decided in one database statement, so
    // requests racing each other cannot all see room left (ASVS 15.4.2).

    test('10 parallel challenges for one factor: one code is sent, nine are refused', async () => {
      const { member, phone, factorId } = await smsMember();
      const tx = await signInExpecting(t, member.email, 'verify');
      const before = sentTo(t, phone).length;

      const responses = await Promise.all(Array.from({ length: 10 }, () => challenge(t, tx.id, factorId)));
      assert.deepEqual(codeCounts(responses), { ok: 1, rate_limited: 9 });
      for (const refused of responses.filter((r) => r.statusCode !== 201)) {
        expectProblem(refused, 429, 'rate_limited');
        assert.equal(refused.headers['retry-after'], '30');
      }
      assert.equal(sentTo(t, phone).length, before + 1, 'exactly one message sent');

      // The nine refusals used none of the member's five: with the set-up code and this one, three
      // more are sent (30 s apart), and only then are codes refused.
      for (let i = 0; i < 3; i++) {
        t.clock.advance(30_000);
        assert.equal((await challenge(t, tx.id, factorId)).statusCode, 201, `send ${i + 3}`);
      }
      t.clock.advance(30_000);
      expectProblem(await challenge(t, tx.id, factorId), 429, 'rate_limited');
      assert.equal(sentTo(t, phone).length, 5);
    });

    /** More SMS factors for the member of `factorId`, as stored rows (the API sends a code for each). */
    async function extraSmsFactors(factorId: string, count: number): Promise<Array<{ id: string; phone: string }>> {
      const original = await factorRow(t, factorId);
      const extra: Array<{ id: string; phone: string }> = [];
      for (let i = 0; i < count; i++) {
        const factor = { id: newId(), phone: newPhone() };
        await t.ctx.db.insertInto('factors').values({
          ...original, id: factor.id, destination: factor.phone, label: `Text message to ···${factor.phone.slice(-4)}`,
          failures: 0, locked_until: null, locked_until_reset: 0, last_step: null,
          created_at: original.created_at + i + 1,
        }).execute();
        extra.push(factor);
      }
      return extra;
    }

    test('parallel challenges over several sign-ins of one member never send more than 5 in 15 minutes', async () => {
      const { member, phone, factorId } = await smsMember();
      // Eight phones, so the 30-second resend wait per factor does not stop the requests first.
      const factors = [{ id: factorId, phone }, ...await extraSmsFactors(factorId, 7)];
      const transactions: TransactionBody[] = [];
      for (let i = 0; i < 4; i++) transactions.push(await signInExpecting(t, member.email, 'verify'));
      for (const tx of transactions) {
        assert.deepEqual(tx.factors.map((f) => f.id).sort(), factors.map((f) => f.id).sort(), 'every phone is offered');
      }
      const sentToMember = () => factors.reduce((sum, f) => sum + sentTo(t, f.phone).length, 0);
      assert.equal(sentToMember(), 1, 'the set-up code');

      // Every sign-in asks for a code on every phone at once, each from its own address (so the
      // per-IP limit plays no part): 32 requests, room for 4 more messages.
      let n = 0;
      const responses = await Promise.all(transactions.flatMap((tx) => factors.map((f) =>
        callFrom(t, `198.51.100.${++n}`, 'POST', `/api/v1/transactions/${tx.id}/challenges`, { factorId: f.id }))));
      assert.deepEqual(codeCounts(responses), { ok: 4, rate_limited: 28 });
      assert.equal(sentToMember(), 5);
      const served = new Set(responses.filter((r) => r.statusCode === 201).map((r) => (r.json() as { factorId: string }).factorId));
      assert.equal(served.size, 4, 'one code per phone at most');

      // Still refused until the window that opened with the set-up code ends.
      t.clock.advance(30_000);
      const idle = factors.find((f) => !served.has(f.id))!;
      const refused = await callFrom(t, '198.51.100.250', 'POST', `/api/v1/transactions/${transactions[0]!.id}/challenges`, { factorId: idle.id });
      expectProblem(refused, 429, 'rate_limited');
      assert.ok(Number(refused.headers['retry-after']) > 30, `retry-after ${refused.headers['retry-after']}`);
      assert.equal(sentToMember(), 5);
    });

    test('parallel challenges from one client IP for many members send exactly 20', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'sms' });
      const members: Array<Awaited<ReturnType<typeof smsMember>>> = [];
      // Set-up codes go out from the test's own address: at most 20 of them in one window.
      for (let i = 0; i < 24; i++) {
        if (i === 12) t.clock.advance(15 * MINUTE);
        members.push(await smsMember(org));
      }
      // A fresh window for every member and address.
      t.clock.advance(15 * MINUTE);
      const transactions: TransactionBody[] = [];
      for (const m of members) transactions.push(await signInExpecting(t, m.member.email, 'verify'));
      const sentCount = () => members.reduce((sum, m) => sum + sentTo(t, m.phone).length, 0);
      assert.equal(sentCount(), 24, 'the set-up codes');

      // Two requests per member at once, all from one address: 48 requests, each member could
      // receive one, the address allows 20.
      const ip = '203.0.113.20';
      const responses = await Promise.all(members.flatMap((m, i) => [0, 1].map(() =>
        callFrom(t, ip, 'POST', `/api/v1/transactions/${transactions[i]!.id}/challenges`, { factorId: m.factorId }))));
      assert.deepEqual(codeCounts(responses), { ok: 20, rate_limited: 28 });
      assert.equal(sentCount(), 24 + 20);
      for (const m of members) assert.ok(sentTo(t, m.phone).length <= 2, 'one code per member at most');
      expectProblem(await callFrom(t, ip, 'POST', `/api/v1/transactions/${transactions[0]!.id}/challenges`, { factorId: members[0]!.factorId }), 429, 'rate_limited');

      // The members refused by the address limit were charged nothing: from elsewhere they get a
      // code at once.
      const missed = members.map((m, i) => ({ m, tx: transactions[i]! })).filter(({ m }) => sentTo(t, m.phone).length === 1);
      assert.equal(missed.length, 4);
      for (const { m, tx } of missed) {
        const response = await callFrom(t, '198.51.100.77', 'POST', `/api/v1/transactions/${tx.id}/challenges`, { factorId: m.factorId });
        assert.equal(response.statusCode, 201, response.body);
        assert.equal(sentTo(t, m.phone).length, 2);
      }
    });
  });
}
