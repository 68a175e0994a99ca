/**
 * Threat: a code phished or intercepted from one attempt used to complete another.
 * docs/security.md S6 (ASVS 6.6.2): a code issued for one sign-in attempt cannot complete another. A sent
 * code belongs to the transaction (or session re-verification) it was sent for; a TOTP time step,
 * once accepted anywhere, completes nothing else (see also totp-single-use.test.ts).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, lastCode, type TestApp } from '../support/harness.ts';
import { challenge, enrolSentCode, enrolTotp, newPhone, signInExpecting, totpNow, verify } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`codes are bound to their transaction on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function smsMember() {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'sms' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const phone = newPhone();
      return { member, phone, ...(await enrolSentCode(t, member.email, 'sms', phone)) };
    }

    test('a code sent for one sign-in does not complete another', async () => {
      const { member, phone, factorId } = await smsMember();
      const first = await signInExpecting(t, member.email, 'verify');
      assert.equal((await challenge(t, first.id, factorId)).statusCode, 201);
      const code = lastCode(t, phone);

      const second = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, second.id, factorId, code), 400, 'invalid_code');
      // It still completes the sign-in it was sent for.
      const ok = await verify(t, first.id, factorId, code);
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('a code sent to change the password does not sign in, and a sign-in code does not change the password', async () => {
      const { member, phone, factorId, token } = await smsMember();
      const change = await call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'Another-Horse-42' }, token);
      assert.equal(change.statusCode, 202, change.body);
      assert.equal(change.json().state, 'verify');
      assert.equal((await challenge(t, change.json().id, factorId)).statusCode, 201);
      const changeCode = lastCode(t, phone);

      const signIn = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, signIn.id, factorId, changeCode), 400, 'invalid_code');

      t.clock.advance(30_000);
      assert.equal((await challenge(t, signIn.id, factorId)).statusCode, 201);
      const signInCode = lastCode(t, phone);
      if (signInCode !== changeCode) expectProblem(await verify(t, change.json().id, factorId, signInCode), 400, 'invalid_code');
      assert.equal((await verify(t, signIn.id, factorId, signInCode)).statusCode, 200);
      // The password did not change.
      expectProblem(await call(t, 'POST', '/api/v1/sign-in', { email: member.email, password: 'Another-Horse-42' }), 401, 'invalid_credentials');
    });

    test("a session's re-verification code does not complete a sign-in, and the reverse", async () => {
      const { member, phone, factorId, token } = await smsMember();
      const sent = await call(t, 'POST', '/api/v1/me/reauthentication/challenges', { factorId }, token);
      assert.equal(sent.statusCode, 201, sent.body);
      const sessionCode = lastCode(t, phone);
      const tx = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, tx.id, factorId, sessionCode), 400, 'invalid_code');

      t.clock.advance(30_000);
      assert.equal((await challenge(t, tx.id, factorId)).statusCode, 201);
      const signInCode = lastCode(t, phone);
      expectProblem(await call(t, 'POST', '/api/v1/me/reauthentication', { factorId, code: signInCode }, token), 400, 'invalid_code');
    });

    test('a TOTP code accepted by one sign-in completes no other', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const factor = await enrolTotp(t, member.email);
      const first = await signInExpecting(t, member.email, 'verify');
      const second = await signInExpecting(t, member.email, 'verify');
      const code = totpNow(t, factor.seed);
      assert.equal((await verify(t, first.id, factor.factorId, code)).statusCode, 200);
      expectProblem(await verify(t, second.id, factor.factorId, code), 400, 'invalid_code');
    });
  });
}
