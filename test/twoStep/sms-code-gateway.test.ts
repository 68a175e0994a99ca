/**
 * Rule: the SMS method through the HTTP provider (a Twilio-shaped gateway
 * on loopback). docs/security.md S4 (a new code replaces the old and does not reset the failure count),
 * S5 (6 digits, invalid after 10 minutes), S2 (20 parallel submissions of one code: one success) and
 * S16 (changing the number is binding a new factor: a pending number is confirmed by a code sent to it).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpSmsGateway } from '../../src/delivery/httpSmsGateway.ts';
import { PASSWORD, call, createTestApp, engines, tokenFor, type TestApp, type TransactionBody } from '../support/harness.ts';
import { startFakeSmsGateway, type FakeSmsGateway } from '../support/smsGateway.ts';
import { challenge, enrolSentCode, newPhone, signInExpecting, verify } from './_factors.ts';
import { addGroup, addMember, codeCounts, expectProblem, factorRow, organizationWith, transactionFailures } from './_fixtures.ts';

const MINUTE = 60_000;

for (const engine of engines()) {
  describe(`SMS codes through the HTTP gateway on ${engine}`, () => {
    let t: TestApp;
    let gateway: FakeSmsGateway;
    before(async () => {
      gateway = await startFakeSmsGateway();
      const smsSender = createHttpSmsGateway({ accountSid: gateway.accountSid, authToken: gateway.authToken, from: '+15005550006', baseUrl: gateway.baseUrl });
      t = await createTestApp({ engine, smsSender });
    });
    after(async () => {
      await t.close();
      await gateway.stop();
    });

    /** The code in the latest text message the gateway accepted for `phone`. */
    function smsCode(phone: string): string {
      const message = [...gateway.sent].reverse().find((m) => m.To === phone);
      assert.ok(message, `no SMS to ${phone}`);
      assert.equal(message.From, '+15005550006');
      const match = /\b(\d{6})\b/.exec(message.Body ?? '');
      assert.ok(match, 'the SMS has a 6-digit code');
      return match[1]!;
    }
    const sentCount = (phone: string): number => gateway.sent.filter((m) => m.To === phone).length;

    async function smsMember() {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'sms' }, 'Texting Co');
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const phone = newPhone();
      const { factorId } = await enrolSentCode(t, member.email, 'sms', phone, smsCode);
      return { member, phone, factorId };
    }

    test('set up by text message, then sign in with a code sent on request', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'sms' }, 'Texting Co');
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const setup = await signInExpecting(t, member.email, 'setup');
      assert.equal(setup.setup?.primaryMethod, 'sms');
      const before = gateway.sent.length;
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'sms', phoneNumber: '555-0100' }), 400, 'validation_failed');
      assert.equal(gateway.sent.length, before, 'nothing sent to a malformed number');

      const phone = newPhone();
      const created = await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'sms', phoneNumber: phone });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(sentCount(phone), 1);
      const body = gateway.sent.at(-1)!.Body!;
      assert.match(body, /Texting Co/);
      assert.ok(!body.includes(setup.id) && !body.includes(created.json().id), 'the SMS carries only the code and its context');
      const confirmed = await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors/${created.json().id}/confirm`, { code: smsCode(phone) });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`)).statusCode, 200);

      t.clock.advance(30_000);
      const next = await signInExpecting(t, member.email, 'verify');
      assert.equal(sentCount(phone), 1, 'signing in sends nothing by itself');
      const sent = await challenge(t, next.id, created.json().id);
      assert.equal(sent.statusCode, 201, sent.body);
      assert.equal(sent.json().expiresAt, new Date(t.clock.now().getTime() + 10 * MINUTE).toISOString());
      const ok = await verify(t, next.id, created.json().id, smsCode(phone));
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((ok.json() as TransactionBody).state, 'complete');
    });

    test('a new code replaces the old one and the failure count goes on', async () => {
      const { member, phone, factorId } = await smsMember();
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.equal((await challenge(t, tx.id, factorId)).statusCode, 201);
      const old = smsCode(phone);
      const wrong = old === '000000' ? '111111' : '000000';
      expectProblem(await verify(t, tx.id, factorId, wrong), 400, 'invalid_code');
      expectProblem(await verify(t, tx.id, factorId, wrong), 400, 'invalid_code');

      t.clock.advance(30_000);
      assert.equal((await challenge(t, tx.id, factorId)).statusCode, 201);
      const fresh = smsCode(phone);
      assert.equal(sentCount(phone), 3);
      if (fresh !== old) {
        const refused = expectProblem(await verify(t, tx.id, factorId, old), 400, 'invalid_code');
        // Two failures before the resend, one now: the resend reset nothing.
        assert.equal(refused.attemptsRemaining, 2);
        assert.equal(await transactionFailures(t, tx.id), 3);
        assert.equal((await factorRow(t, factorId)).failures, 3);
      }
      const ok = await verify(t, tx.id, factorId, fresh);
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('a sent code is valid for 10 minutes and no longer', async () => {
      const org = await organizationWith(t);
      // Codes outlive no transaction (those expire at 10 minutes too): a member's own new number shows the code's own limit.
      for (const [wait, expected] of [[10 * MINUTE - 1, 200], [10 * MINUTE, 400]] as const) {
        const member = await addMember(t, org, { role: 'administrator' });
        const token = await tokenFor(t, member.email);
        // With no factor yet, the password is how the session verifies again before binding one.
        assert.equal((await call(t, 'POST', '/api/v1/me/reauthentication', { password: PASSWORD }, token)).statusCode, 200);
        const phone = newPhone();
        const added = await call(t, 'POST', '/api/v1/me/factors', { type: 'sms', phoneNumber: phone }, token);
        assert.equal(added.statusCode, 201, added.body);
        assert.equal(added.json().codeExpiresAt, new Date(t.clock.now().getTime() + 10 * MINUTE).toISOString());
        t.clock.advance(wait);
        const confirmed = await call(t, 'POST', `/api/v1/me/factors/${added.json().id}/confirm`, { code: smsCode(phone) }, token);
        if (expected === 200) assert.equal(confirmed.statusCode, 200, confirmed.body);
        else expectProblem(confirmed, 400, 'invalid_code');
      }
    });

    test('20 parallel submissions of one text-message code: exactly one success', async () => {
      const { member, phone, factorId } = await smsMember();
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.equal((await challenge(t, tx.id, factorId)).statusCode, 201);
      const code = smsCode(phone);
      const responses = await Promise.all(Array.from({ length: 20 }, () => verify(t, tx.id, factorId, code)));
      const counts = codeCounts(responses);
      assert.equal(counts.ok, 1, JSON.stringify(counts));
      for (const r of responses) assert.ok(r.statusCode < 500, r.body);
      const used = await t.ctx.db.selectFrom('sent_codes').select('used_at').where('factor_id', '=', factorId).execute();
      assert.ok(used.every((c) => c.used_at !== null), 'the code is spent');
    });
  });
}
