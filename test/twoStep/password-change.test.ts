/**
 * Rule: changing the password. docs/security.md S27 (NIST §4.2; ASVS 6.2.3, 7.4.3): the current password
 * and, for members who must use two-step verification, a fresh second factor in the same transaction
 * (`POST /api/v1/me/password` → 204 when done, 202 with a `password_change` transaction otherwise);
 * the policy applies and a refusal names the rule; the member is notified and may end their other
 * sessions, never the one they changed it from.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, lastCode, tokenFor, uniqueEmail, type TestApp, type TransactionBody } from '../support/harness.ts';
import { activate, bindSentCode, bindTotp, challenge, confirm, enrolTotp, signInExpecting, signInWithTotp, totpNow, verify, wrongTotp } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, sentTo } from './_fixtures.ts';

const NEW_PASSWORD = 'Another-Horse-42';

for (const engine of engines()) {
  describe(`password change on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const change = (token: string, body: Record<string, unknown>) =>
      call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, ...body }, token);
    const signInStatus = async (email: string, password: string) =>
      (await call(t, 'POST', '/api/v1/sign-in', { email, password, client: { kind: 'technician-console' } })).statusCode;

    async function technician(required: boolean) {
      const org = await organizationWith(t, required ? { technicians: 'all' } : {});
      return { ...await addMember(t, org, { technicianGroupId: await addGroup(t, org) }), org };
    }

    test('not required: 204, the new password works at once, the member is told', async () => {
      const member = await technician(false);
      const token = await tokenFor(t, member.email);
      const notices = sentTo(t, member.email).length;
      const done = await change(token, {});
      assert.equal(done.statusCode, 204, done.body);
      assert.equal(await signInStatus(member.email, PASSWORD), 401);
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 200);
      assert.equal(sentTo(t, member.email).length, notices + 1);
    });

    test('required: 202 with a password_change transaction, and nothing changes until the second factor', async () => {
      const member = await technician(true);
      const factor = await enrolTotp(t, member.email);
      const notices = sentTo(t, member.email).length;
      const started = await change(factor.token, {});
      assert.equal(started.statusCode, 202, started.body);
      const tx = started.json() as TransactionBody;
      assert.equal(tx.purpose, 'password_change');
      assert.equal(tx.state, 'verify');
      assert.deepEqual(tx.factors.map((f) => f.id), [factor.factorId]);
      assert.equal(await signInStatus(member.email, PASSWORD), 200, 'the old password still works');
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 401);
      expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed)), 400, 'invalid_code');
      assert.equal(sentTo(t, member.email).length, notices, 'no notice before the change');

      const done = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().state, 'complete');
      assert.equal(done.json().purpose, 'password_change');
      assert.equal(done.json().session, undefined, 'a password change issues no session');
      assert.equal(await signInStatus(member.email, PASSWORD), 401);
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 200);
      assert.equal(sentTo(t, member.email).length, notices + 1);
    });

    test('five wrong codes fail the change and the password stays', async () => {
      const member = await technician(true);
      const factor = await enrolTotp(t, member.email);
      const tx = (await change(factor.token, {})).json() as TransactionBody;
      for (let i = 0; i < 4; i++) expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i)), 400, 'invalid_code');
      expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, 9)), 410, 'transaction_failed');
      expectProblem(await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed)), 410, 'transaction_failed');
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 401);
    });

    test('required without a factor (reset since the session verified one): the change sets one up first', async () => {
      const member = await technician(true);
      const { token } = await enrolTotp(t, member.email);
      const reset = await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id] }, member.org.masterToken);
      assert.equal(reset.statusCode, 200, reset.body);
      const started = await change(token, {});
      assert.equal(started.statusCode, 202, started.body);
      assert.equal(started.json().state, 'setup');
      const pending = await bindTotp(t, started.json().id);
      assert.equal((await confirm(t, started.json().id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      const done = await activate(t, started.json().id);
      assert.equal(done.session, undefined);
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 200);
    });

    test('the policy and the current password are checked, and the refusal names the rule', async () => {
      const member = await technician(false);
      const token = await tokenFor(t, member.email);
      const cases: Array<[string, string]> = [
        ['Sh0rt!', 'minimum_length'], ['alllowercase', 'character_kinds'], ['Aa1-' + 'xy'.repeat(200), 'maximum_length'],
      ];
      for (const [newPassword, rule] of cases) {
        assert.equal(expectProblem(await change(token, { newPassword }), 422, 'password_too_weak').rule, rule, newPassword);
      }
      expectProblem(await change(token, { newPassword: PASSWORD }), 422, 'password_reused');
      const wrong = expectProblem(await change(token, { currentPassword: 'Wrong-Horse-1' }), 401, 'invalid_credentials');
      assert.deepEqual((wrong.errors as Array<{ field: string }>).map((e) => e.field), ['body/currentPassword']);
      assert.equal(await signInStatus(member.email, PASSWORD), 200, 'nothing changed');
      // The session survives a wrong current password.
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).statusCode, 200);
    });

    test('endOtherSessions ends the other sessions, never the current one', async () => {
      const member = await technician(false);
      const [current, other, third] = [await tokenFor(t, member.email), await tokenFor(t, member.email), await tokenFor(t, member.email)];
      assert.equal((await change(current, { endOtherSessions: true })).statusCode, 204);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, current)).statusCode, 200);
      for (const token of [other, third]) expectProblem(await call(t, 'GET', '/api/v1/me', undefined, token), 401, 'unauthenticated');
    });

    test('without endOtherSessions the other sessions stay', async () => {
      const member = await technician(false);
      const [current, other] = [await tokenFor(t, member.email), await tokenFor(t, member.email)];
      assert.equal((await change(current, {})).statusCode, 204);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, other)).statusCode, 200);
    });

    test('with a second factor, the other sessions end when the change completes', async () => {
      const member = await technician(true);
      const factor = await enrolTotp(t, member.email);
      const other = await signInWithTotp(t, member.email, factor);
      const tx = (await change(factor.token, { endOtherSessions: true })).json() as TransactionBody;
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, other)).statusCode, 200, 'nothing ends before the second factor');
      assert.equal((await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed))).statusCode, 200);
      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, other), 401, 'unauthenticated');
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, factor.token)).statusCode, 200);
    });

    test('two changes completing at once: one sets its password and ends the other, nothing fails', async () => {
      const member = await technician(true);
      // Two factors, so each change is verified with its own code at the same moment.
      const setup = await signInExpecting(t, member.email, 'setup');
      const totp = await bindTotp(t, setup.id);
      assert.equal((await confirm(t, setup.id, totp.factorId, totpNow(t, totp.seed))).statusCode, 200);
      const backup = uniqueEmail('backup');
      const emailFactor = await bindSentCode(t, setup.id, 'email', backup);
      const token = (await activate(t, setup.id)).session!.token!;
      t.clock.advance(30_000);

      const first = (await change(token, { newPassword: 'First-Horse-42' })).json() as TransactionBody;
      const second = (await change(token, { newPassword: 'Second-Horse-42' })).json() as TransactionBody;
      assert.equal((await challenge(t, second.id, emailFactor)).statusCode, 201);
      const results = await Promise.all([
        verify(t, first.id, totp.factorId, totpNow(t, totp.seed)),
        verify(t, second.id, emailFactor, lastCode(t, backup)),
      ]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 410], results.map((r) => r.body).join(' | '));
      const winner = results[0]!.statusCode === 200 ? 'First-Horse-42' : 'Second-Horse-42';
      const loser = winner === 'First-Horse-42' ? 'Second-Horse-42' : 'First-Horse-42';
      assert.equal(await signInStatus(member.email, winner), 200);
      assert.equal(await signInStatus(member.email, loser), 401);
    });
  });
}
