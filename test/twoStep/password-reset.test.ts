/**
 * A forgotten password, reset with a link sent by email. docs/security.md S29: a forgotten-password reset
 * never bypasses the second factor; docs/security.md S26: nor does it let the mailbox alone bind a first
 * factor; docs/security.md S24: asking for a link does not tell a known email from an unknown one. The link
 * works once (also under parallel requests), for an hour; a new request, an email change, disabling
 * or a reset of two-step verification ends it; completing ends every session and a password lock.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '../../src/delivery/ports.ts';
import { PASSWORD, call, consoleSignIn, createTestApp, engines, lastCode, newOrganization, tokenFor, uniqueEmail, type TestApp, type TransactionBody } from '../support/harness.ts';
import { PASSWORD_RESET_TTL_MS } from '../../src/services/password/resetLinks.ts';
import { RESET_EMAILS_PER_MEMBER, RESET_REQUESTS_PER_IP } from '../../src/services/password/passwordReset.ts';
import { bindSentCode, bindTotp, challenge, confirm, enrolTotp, signInExpecting, totpNow, verify, wrongTotp } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, sentTo, setMemberEnabled } from './_fixtures.ts';

const NEW_PASSWORD = 'Brand-New-Horse-5';
const CONSOLE = { kind: 'technician-console' } as const;
const RESET_SUBJECT = /: reset your password$/;

for (const engine of engines()) {
  describe(`forgotten password reset on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const ask = (email: string, ip = '198.51.100.7') =>
      t.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email }, remoteAddress: ip });
    const choose = (token: string, newPassword = NEW_PASSWORD) =>
      call(t, 'POST', `/api/v1/password-resets/${token}`, { newPassword, client: CONSOLE });
    const resetMails = (email: string) => sentTo(t, email).filter((m) => RESET_SUBJECT.test(m.subject ?? ''));
    const signInStatus = async (email: string, password: string) => (await consoleSignIn(t, email, password)).response.statusCode;

    /** The link in the latest reset email to `email`; the email leaves after the answer, so wait for it. */
    async function linkToken(email: string, count = 1): Promise<string> {
      for (let i = 0; i < 100 && resetMails(email).length < count; i++) await sleep(10);
      const mails = resetMails(email);
      assert.equal(mails.length, count, `expected ${count} reset email(s) to ${email}`);
      return /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mails.at(-1)!.text)![1]!;
    }

    async function technician(technicians: 'all' | 'none') {
      const org = await organizationWith(t, { technicians });
      const group = await addGroup(t, org);
      return { org, group, member: await addMember(t, org, { technicianGroupId: group }) };
    }

    test('without two-step verification: the link sets the password once and ends every session', async () => {
      const { member } = await technician('none');
      const session = await tokenFor(t, member.email);
      const asked = await ask(member.email);
      assert.equal(asked.statusCode, 202, asked.body);
      const token = await linkToken(member.email);
      assert.match(resetMails(member.email)[0]!.text, new RegExp(`http://localhost:3000/password-reset/${token}`));

      const described = await call(t, 'GET', `/api/v1/password-resets/${token}`);
      assert.equal(described.statusCode, 200, described.body);
      assert.deepEqual({ ...described.json() as object, expiresAt: undefined }, {
        email: member.email, organizationName: 'Acme Support', expiresAt: undefined, minimumStrength: 'good', twoStepVerificationRequired: false,
      });
      // A too-weak password is refused, naming the field, and leaves the link usable.
      assert.equal(expectProblem(await choose(token, 'short'), 422, 'password_too_weak').field, 'newPassword');

      const notices = sentTo(t, member.email).length;
      assert.equal((await choose(token)).statusCode, 204);
      assert.equal(await signInStatus(member.email, PASSWORD), 401);
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 200);
      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, session), 401, 'unauthenticated');
      assert.equal(sentTo(t, member.email).length, notices + 1, 'the member is told the password changed');
      expectProblem(await choose(token, 'Yet-Another-Horse-6'), 400, 'invalid_password_reset');
      expectProblem(await call(t, 'GET', `/api/v1/password-resets/${token}`), 400, 'invalid_password_reset');
    });

    test('an unknown, disabled or password-less email gets the same answer, and nothing is sent', async () => {
      const { org, group, member } = await technician('none');
      await setMemberEnabled(t, member.id, false);
      const invited = uniqueEmail('invited');
      assert.equal((await call(t, 'POST', '/api/v1/members', { name: 'Ivy', email: invited, technicianGroupId: group }, org.masterToken)).statusCode, 201);
      const known = await addMember(t, org);
      const answers = await Promise.all([ask(known.email), ask(uniqueEmail('nobody')), ask(member.email), ask(invited)]);
      for (const answer of answers) {
        assert.equal(answer.statusCode, 202);
        assert.equal(answer.body, answers[0]!.body);
        assert.deepEqual(Object.keys(answer.headers).filter((h) => h !== 'date').sort(), Object.keys(answers[0]!.headers).filter((h) => h !== 'date').sort());
      }
      await linkToken(known.email);
      await sleep(50);
      assert.equal(resetMails(member.email).length, 0);
      assert.equal(resetMails(invited).length, 0);
      const rows = await t.ctx.db.selectFrom('password_resets').select('member_id').where('member_id', 'in', [member.id, known.id]).execute();
      assert.deepEqual(rows.map((r) => r.member_id), [known.id]);
    });

    test('with two-step verification the new password takes effect only after a second factor', async () => {
      const { member } = await technician('all');
      const factor = await enrolTotp(t, member.email);
      await ask(member.email);
      const token = await linkToken(member.email);
      assert.equal((await call(t, 'GET', `/api/v1/password-resets/${token}`)).json().twoStepVerificationRequired, true);

      const started = await choose(token);
      assert.equal(started.statusCode, 202, started.body);
      const tx = started.json() as TransactionBody;
      assert.equal(tx.purpose, 'password_change');
      assert.equal(tx.state, 'verify');
      assert.deepEqual(tx.factors.map((f) => f.id), [factor.factorId]);
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 401, 'nothing changes before the second factor');
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, factor.token)).statusCode, 200);
      expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed)), 400, 'invalid_code');

      const done = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().state, 'complete');
      assert.equal(done.json().session, undefined, 'a reset signs nobody in');
      assert.equal(await signInStatus(member.email, PASSWORD), 401);
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 200);
      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, factor.token), 401, 'unauthenticated');
      expectProblem(await choose(token), 400, 'invalid_password_reset');
      const audit = await t.ctx.db.selectFrom('audit_events').select(['change_type', 'details']).where('entity_id', '=', member.id)
        .where('change_type', 'in', ['PasswordResetRequested', 'Change']).orderBy('at').orderBy('id').execute();
      assert.deepEqual(audit.map((a) => a.change_type), ['PasswordResetRequested', 'Change']);
      assert.match(String(typeof audit[1]!.details === 'string' ? audit[1]!.details : JSON.stringify(audit[1]!.details)), /reset_link/);
    });

    test('five wrong codes fail the change, the password stays, and the link can be used again', async () => {
      const { member } = await technician('all');
      const factor = await enrolTotp(t, member.email);
      await ask(member.email);
      const token = await linkToken(member.email);
      const tx = (await choose(token)).json() as TransactionBody;
      for (let i = 0; i < 4; i++) expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i)), 400, 'invalid_code');
      expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, 9)), 410, 'transaction_failed');
      assert.equal(await signInStatus(member.email, PASSWORD), 200);
      t.clock.advance(30_000);
      const again = (await choose(token)).json() as TransactionBody;
      assert.equal((await verify(t, again.id, factor.factorId, totpNow(t, factor.seed))).statusCode, 200);
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 200);
    });

    test('with no factor to verify with, the mailbox alone cannot set one up: only with a setup code', async () => {
      const { org, member } = await technician('all');
      await enrolTotp(t, member.email);
      await ask(member.email);
      const before = await linkToken(member.email);
      // The reset for a lost phone ends the link sent before it.
      assert.equal((await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id] }, org.masterToken)).statusCode, 200);
      expectProblem(await choose(before), 400, 'invalid_password_reset');

      await ask(member.email);
      const token = await linkToken(member.email, 2);
      expectProblem(await choose(token), 403, 'reset_needs_setup_code');
      assert.equal(await t.ctx.db.selectFrom('transactions').select('id').where('member_id', '=', member.id).where('state', '=', 'setup').executeTakeFirst(), undefined);
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 401);

      // With a setup code from an administrator, the reset sets the factor up, and activates with the code.
      const issued = await call(t, 'POST', `/api/v1/members/${member.id}/setup-code`, undefined, org.masterToken);
      assert.equal(issued.statusCode, 201, issued.body);
      const tx = (await choose(token)).json() as TransactionBody;
      assert.equal(tx.state, 'setup');
      const pending = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`), 403, 'setup_code_required');
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 401);
      const done = await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`, { setupCode: (issued.json() as { setupCode: string }).setupCode });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().purpose, 'password_change');
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 200);
    });

    test('a replaced link ends its change under way before any code is tried', async () => {
      const { member } = await technician('all');
      const factor = await enrolTotp(t, member.email);
      await ask(member.email);
      const tx = (await choose(await linkToken(member.email))).json() as TransactionBody;
      await ask(member.email);
      await linkToken(member.email, 2);
      const code = totpNow(t, factor.seed);
      expectProblem(await verify(t, tx.id, factor.factorId, code), 400, 'invalid_password_reset');
      expectProblem(await verify(t, tx.id, factor.factorId, code), 410, 'transaction_expired');
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 401);
    });

    test('a recovery code tried with a replaced link is not used up, and the change ends', async () => {
      const { member } = await technician('all');
      const setup = await signInExpecting(t, member.email, 'setup');
      const totp = await bindTotp(t, setup.id);
      assert.equal((await confirm(t, setup.id, totp.factorId, totpNow(t, totp.seed))).statusCode, 200);
      const activated = await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`);
      const recoveryCode = (activated.json() as { recoveryCodes: string[] }).recoveryCodes[0]!;
      await ask(member.email);
      const tx = (await choose(await linkToken(member.email))).json() as TransactionBody;
      await ask(member.email);
      await linkToken(member.email, 2);
      const recover = (id: string) => call(t, 'POST', `/api/v1/transactions/${id}/recovery`, { code: recoveryCode });
      expectProblem(await recover(tx.id), 400, 'invalid_password_reset');
      expectProblem(await recover(tx.id), 410, 'transaction_expired');
      const signIn = await signInExpecting(t, member.email, 'verify');
      assert.equal((await recover(signIn.id)).statusCode, 200, 'the recovery code still works');
    });

    test('a link the mail server refused is not sent again: one link, one audit event, nothing left to do', async () => {
      let tries = 0;
      const refusing = await createTestApp({
        engine, emailSender: { channel: 'email', description: 'a mail server that refuses', send: async () => { tries++; throw new Error('554 refused'); } },
      });
      try {
        const org = await newOrganization(refusing);
        const asked = await refusing.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email: org.email } });
        assert.equal(asked.statusCode, 202);
        const left = async () => Number((await refusing.ctx.db.selectFrom('after_answer_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        for (let i = 0; i < 200 && (tries === 0 || await left() > 0); i++) await new Promise((r) => setTimeout(r, 10));
        assert.equal(tries, 1);
        assert.equal(await left(), 0, 'done, not waiting to be tried again');
        const audited = await refusing.ctx.db.selectFrom('audit_events').select('id').where('change_type', '=', 'PasswordResetRequested').execute();
        assert.equal(audited.length, 1);
      } finally {
        await refusing.close();
      }
    });

    test('the answer waits for no email, and stopping the server still sends what was answered', async () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => { open = resolve; });
      const sent: Message[] = [];
      const gated = await createTestApp({
        engine, afterAnswerDelayMs: 100,
        emailSender: { channel: 'email', description: 'held until the test lets it go', send: async (message) => { await gate; sent.push(message); } },
      });
      const org = await newOrganization(gated);
      const asked = await gated.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email: org.email } });
      assert.equal(asked.statusCode, 202);
      assert.equal(sent.length, 0, 'answered before anything was sent');
      const closing = gated.close();
      open();
      await closing;
      assert.equal(sent.filter((m) => RESET_SUBJECT.test(m.subject ?? '')).length, 1);
    });

    test('two changes from one link completing at once: one sets its password', async () => {
      const { member } = await technician('all');
      const setup = await signInExpecting(t, member.email, 'setup');
      const totp = await bindTotp(t, setup.id);
      assert.equal((await confirm(t, setup.id, totp.factorId, totpNow(t, totp.seed))).statusCode, 200);
      const backup = uniqueEmail('backup');
      const emailFactor = await bindSentCode(t, setup.id, 'email', backup);
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`)).statusCode, 200);
      t.clock.advance(30_000);
      await ask(member.email);
      const token = await linkToken(member.email);
      const first = (await choose(token, 'First-Horse-42')).json() as TransactionBody;
      const second = (await choose(token, 'Second-Horse-42')).json() as TransactionBody;
      assert.equal((await challenge(t, second.id, emailFactor)).statusCode, 201);
      const results = await Promise.all([
        verify(t, first.id, totp.factorId, totpNow(t, totp.seed)),
        verify(t, second.id, emailFactor, lastCode(t, backup)),
      ]);
      const statuses = results.map((r) => r.statusCode);
      assert.equal(statuses.filter((s) => s === 200).length, 1, results.map((r) => r.body).join(' | '));
      assert.ok(statuses.every((s) => s < 500), results.map((r) => r.body).join(' | '));
      const winner = results[0]!.statusCode === 200 ? 'First-Horse-42' : 'Second-Horse-42';
      assert.equal(await signInStatus(member.email, winner), 200);
    });

    test('an administrator changing the email or disabling the member ends a pending link', async () => {
      for (const change of [{ email: uniqueEmail('moved') }, { enabled: false }]) {
        const { org, member } = await technician('none');
        await ask(member.email);
        const token = await linkToken(member.email);
        const changed = await call(t, 'PATCH', `/api/v1/members/${member.id}`, change, org.masterToken);
        assert.equal(changed.statusCode, 200, changed.body);
        if ('enabled' in change) await call(t, 'PATCH', `/api/v1/members/${member.id}`, { enabled: true }, org.masterToken);
        expectProblem(await choose(token), 400, 'invalid_password_reset');
      }
    });

    test('one link, two requests at once: exactly one sets its password', async () => {
      const { member } = await technician('none');
      await ask(member.email);
      const token = await linkToken(member.email);
      const results = await Promise.all([choose(token, 'First-Horse-42'), choose(token, 'Second-Horse-42')]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [204, 400], results.map((r) => r.body).join(' | '));
      const winner = results[0]!.statusCode === 204 ? 'First-Horse-42' : 'Second-Horse-42';
      assert.equal(await signInStatus(member.email, winner), 200);
      assert.equal(await signInStatus(member.email, winner === 'First-Horse-42' ? 'Second-Horse-42' : 'First-Horse-42'), 401);
    });

    test('a new request replaces the link; a link lasts an hour; a changed password ends it', async () => {
      const { member } = await technician('none');
      await ask(member.email);
      const first = await linkToken(member.email, 1);
      await ask(member.email);
      const second = await linkToken(member.email, 2);
      expectProblem(await choose(first), 400, 'invalid_password_reset');
      t.clock.advance(PASSWORD_RESET_TTL_MS);
      expectProblem(await choose(second), 400, 'invalid_password_reset');

      await ask(member.email);
      const third = await linkToken(member.email, 3);
      const session = await tokenFor(t, member.email);
      assert.equal((await call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, session)).statusCode, 204);
      expectProblem(await choose(third, 'Yet-Another-Horse-6'), 400, 'invalid_password_reset');
    });

    test('completing a reset ends a lock from wrong passwords', async () => {
      const { member } = await technician('none');
      for (let i = 0; i < 10; i++) assert.equal(await signInStatus(member.email, `Wrong-Horse-${i}`), 401);
      assert.equal(await signInStatus(member.email, PASSWORD), 429, 'locked');
      await ask(member.email);
      assert.equal((await choose(await linkToken(member.email))).statusCode, 204);
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 200);
    });

    test('the emails a member gets slide over the last hour: no more across where a fixed hour would start again', async () => {
      const { member } = await technician('none');
      assert.equal((await ask(member.email, '198.51.100.10')).statusCode, 202);
      await linkToken(member.email, 1);
      t.clock.advance(59 * 60_000);
      for (let i = 0; i < RESET_EMAILS_PER_MEMBER; i++) assert.equal((await ask(member.email, '198.51.100.10')).statusCode, 202);
      await linkToken(member.email, RESET_EMAILS_PER_MEMBER);
      // An hour after the first email only that one has left the hour: one more, not three.
      t.clock.advance(60_000);
      for (let i = 0; i < RESET_EMAILS_PER_MEMBER; i++) assert.equal((await ask(member.email, '198.51.100.10')).statusCode, 202);
      await linkToken(member.email, RESET_EMAILS_PER_MEMBER + 1);
      await sleep(50);
      assert.equal(resetMails(member.email).length, RESET_EMAILS_PER_MEMBER + 1);
    });

    test(`limits: ${RESET_EMAILS_PER_MEMBER} emails a member an hour, ${RESET_REQUESTS_PER_IP} requests an address`, async () => {
      const { member } = await technician('none');
      for (let i = 0; i < RESET_EMAILS_PER_MEMBER + 2; i++) assert.equal((await ask(member.email, '198.51.100.8')).statusCode, 202);
      await linkToken(member.email, RESET_EMAILS_PER_MEMBER);
      await sleep(50);
      assert.equal(resetMails(member.email).length, RESET_EMAILS_PER_MEMBER, 'no more emails past the limit');

      const answers = await Promise.all(Array.from({ length: RESET_REQUESTS_PER_IP + 5 }, () => ask(uniqueEmail('spray'), '198.51.100.9')));
      const counts = answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.statusCode]: (acc[a.statusCode] ?? 0) + 1 }), {});
      assert.deepEqual(counts, { 202: RESET_REQUESTS_PER_IP, 429: 5 });
      assert.ok(Number(expectProblem(answers.find((a) => a.statusCode === 429)!, 429, 'rate_limited').retryAfterSeconds) > 0);
    });
  });
}
