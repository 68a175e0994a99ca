/**
 * Rule: the email method over a real SMTP server (the same rules as text messages,
 * sent over SMTP; the tests read the message from a server on loopback). docs/security.md S5 (6 digits,
 * valid 10 minutes at most), S9 (active only after a code from it is entered), S17 (email can be
 * switched off) and S25 (binding notified by email). The message carries the code and its context
 * only: no transaction id, factor id or anything else a reader could reuse.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSmtpMailer } from '../../src/delivery/smtpMailer.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtpServer.ts';
import { activate, challenge, confirm, signInExpecting, verify } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, saveSettings } from './_fixtures.ts';

/** The code in the first mail to `to` after the first `skip` mails the server received. */
async function codeFrom(smtp: TestSmtpServer, to: string, skip: number): Promise<{ code: string; mail: ReceivedMail }> {
  const mail = await smtp.waitFor((m) => smtp.messages.indexOf(m) >= skip && m.to.includes(to) && /\b\d{6}\b/.test(m.text));
  return { code: /\b(\d{6})\b/.exec(mail.text)![1]!, mail };
}

for (const engine of engines()) {
  describe(`email codes over SMTP on ${engine}`, () => {
    let t: TestApp;
    let smtp: TestSmtpServer;
    before(async () => {
      smtp = await startSmtpServer();
      t = await createTestApp({ engine, emailSender: createSmtpMailer({ url: smtp.url, from: 'Twofold <no-reply@twofold.test>' }) });
    });
    after(async () => {
      await t.close();
      await smtp.stop();
    });

    test('set up email as the primary method, then sign in with a code from the mailbox', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'email' }, 'Mailbox Ltd');
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const setup = await signInExpecting(t, member.email, 'setup');
      assert.equal(setup.setup?.primaryMethod, 'email');

      let skip = smtp.messages.length;
      const created = await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'email' });
      assert.equal(created.statusCode, 201, created.body);
      const factor = created.json() as { id: string; type: string; codeExpiresAt: string; otpauthUri?: string };
      assert.equal(factor.type, 'email');
      assert.equal(factor.otpauthUri, undefined);
      assert.equal(factor.codeExpiresAt, new Date(t.clock.now().getTime() + 10 * 60_000).toISOString());

      const first = await codeFrom(smtp, member.email, skip);
      assert.deepEqual(first.mail.envelopeTo, [member.email]);
      assert.match(first.mail.subject, /Mailbox Ltd/);
      for (const secret of [setup.id, factor.id, member.id]) assert.ok(!first.mail.text.includes(secret), 'the mail carries nothing reusable');

      // Not active before it is confirmed (docs/security.md S9).
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`), 409, 'primary_factor_required');
      const confirmed = await confirm(t, setup.id, factor.id, first.code);
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      skip = smtp.messages.length;
      await activate(t, setup.id);
      // The binding is notified by email, and the notice has no code in it.
      const notice = await smtp.waitFor((m) => smtp.messages.indexOf(m) >= skip && m.to.includes(member.email));
      assert.doesNotMatch(notice.text, /\b\d{6}\b/);

      t.clock.advance(30_000);
      const next = await signInExpecting(t, member.email, 'verify');
      assert.deepEqual(next.factors.map((f) => f.type), ['email']);
      skip = smtp.messages.length;
      const sent = await challenge(t, next.id, factor.id);
      assert.equal(sent.statusCode, 201, sent.body);
      const second = await codeFrom(smtp, member.email, skip);
      // The set-up code was for the set-up transaction and is spent: it does not sign in.
      if (first.code !== second.code) expectProblem(await verify(t, next.id, factor.id, first.code), 400, 'invalid_code');
      const verified = await verify(t, next.id, factor.id, second.code);
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal(verified.json().state, 'complete');
    });

    test('an email factor can send to another address than the sign-in email', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'email' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const setup = await signInExpecting(t, member.email, 'setup');
      const other = `other-${member.email}`;
      const skip = smtp.messages.length;
      const created = await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'email', email: other });
      assert.equal(created.statusCode, 201, created.body);
      const { code, mail } = await codeFrom(smtp, other, skip);
      assert.deepEqual(mail.envelopeTo, [other]);
      assert.equal((await confirm(t, setup.id, created.json().id, code)).statusCode, 200);
    });

    test('an organization that switches email off offers it nowhere', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      await saveSettings(t, org.masterToken, { technicians: 'all', allowedMethods: ['totp', 'sms'] });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const setup = await signInExpecting(t, member.email, 'setup');
      assert.deepEqual(setup.setup?.allowedMethods, ['totp', 'sms']);
      const skip = smtp.messages.length;
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'email' }), 400, 'method_not_allowed');
      assert.equal(smtp.messages.length, skip, 'nothing was sent');
    });
  });
}
