// Email codes travel over SMTP: the mailer must deliver a plain-text message with the right sender,
// recipient and subject to a real SMTP server, and fail clearly (without its password) when it cannot.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TwofoldError } from '../../src/core/errors.ts';
import { createSmtpMailer } from '../../src/delivery/smtpMailer.ts';
import { startSmtpServer } from '../support/smtpServer.ts';
import type { TestSmtpServer } from '../support/smtpServer.ts';

let smtp: TestSmtpServer;
before(async () => {
  smtp = await startSmtpServer();
});
after(() => smtp.stop());

test('delivers from, to, subject and plain text to the SMTP server', async () => {
  const mailer = createSmtpMailer({ url: smtp.url, from: 'Twofold <no-reply@twofold.test>' });
  await mailer.send({
    channel: 'email',
    to: 'ada@example.com',
    subject: 'Acme: your code to sign in',
    text: 'Your code to sign in to Acme is:\n\n    123456\n',
  });
  const mail = await smtp.waitFor((m) => m.to.includes('ada@example.com'));
  assert.equal(mail.from, 'no-reply@twofold.test');
  assert.equal(mail.fromName, 'Twofold');
  assert.equal(mail.envelopeFrom, 'no-reply@twofold.test');
  assert.deepEqual(mail.envelopeTo, ['ada@example.com']);
  assert.equal(mail.subject, 'Acme: your code to sign in');
  assert.equal(mail.text.trim(), 'Your code to sign in to Acme is:\n\n    123456');
  assert.equal(mail.hasHtml, false);
});

test('logs in with the credentials in the URL, and never shows the password', async () => {
  const url = `smtp://mailer:s3cret-pa55@127.0.0.1:${smtp.port}`;
  const mailer = createSmtpMailer({ url, from: 'no-reply@twofold.test' });
  assert.equal(mailer.channel, 'email');
  assert.equal(mailer.description, `SMTP smtp://127.0.0.1:${smtp.port}`);
  await mailer.send({ channel: 'email', to: 'grace@example.com', subject: 'Hello', text: 'Hi' });
  const mail = await smtp.waitFor((m) => m.to.includes('grace@example.com'));
  assert.equal(mail.authUser, 'mailer');
});

test('an unreachable server rejects with delivery_failed, without the password', async () => {
  const closed = await startSmtpServer();
  await closed.stop();
  const mailer = createSmtpMailer({ url: `smtp://mailer:s3cret-pa55@127.0.0.1:${closed.port}`, from: 'no-reply@twofold.test' });
  await assert.rejects(
    mailer.send({ channel: 'email', to: 'ada@example.com', subject: 's', text: 't' }),
    (error: unknown) => {
      assert.ok(error instanceof TwofoldError);
      assert.equal(error.code, 'delivery_failed');
      assert.ok(!error.message.includes('s3cret-pa55'));
      return true;
    },
  );
});
