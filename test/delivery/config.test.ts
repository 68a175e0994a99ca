// Where codes go is decided once, at start-up, from the environment. A half-done or malformed
// setting must stop the server with a message naming the variable, not silently send codes to a
// file (or echo a password into the log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TwofoldError } from '../../src/core/errors.ts';
import { deliveryFromEnv } from '../../src/delivery/config.ts';
import { readOutbox } from '../../src/delivery/outbox.ts';
import { startSmtpServer } from '../support/smtpServer.ts';
import { startFakeSmsGateway } from '../support/smsGateway.ts';

const clock = (): Date => new Date('2025-01-01T00:00:00Z');

const rejectsVariable = (env: Record<string, string>, variable: string, mustNotContain?: string) =>
  assert.throws(
    () => deliveryFromEnv(env, 'data', clock),
    (error: unknown) => {
      assert.ok(error instanceof TwofoldError);
      assert.equal(error.code, 'validation_failed');
      assert.equal(error.details.variable, variable);
      assert.ok(error.message.includes(variable), error.message);
      if (mustNotContain) assert.ok(!error.message.includes(mustNotContain), error.message);
      return true;
    },
  );

test('with nothing configured both channels go to the outbox, and the notices say so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'twofold-delivery-'));
  try {
    const delivery = deliveryFromEnv({}, dir, clock);
    assert.equal(delivery.sms.channel, 'sms');
    assert.equal(delivery.email.channel, 'email');
    assert.deepEqual(delivery.notices, [
      `Email: not configured (TWOFOLD_SMTP_URL); messages are written to ${join(dir, 'outbox.jsonl')}`,
      `SMS: not configured (TWOFOLD_SMS_ACCOUNT_SID, TWOFOLD_SMS_AUTH_TOKEN, TWOFOLD_SMS_FROM); messages are written to ${join(dir, 'outbox.jsonl')}`,
    ]);
    await delivery.sms.send({ channel: 'sms', to: '+14155550123', subject: 's', text: '1' });
    await delivery.email.send({ channel: 'email', to: 'a@example.com', subject: 's', text: '2' });
    assert.deepEqual((await readOutbox(dir, 10)).map((entry) => entry.channel), ['sms', 'email']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the outbox notice shows the data directory as given', () => {
  assert.equal(deliveryFromEnv({ TWOFOLD_SMTP_URL: '' }, 'data', clock).notices[0], 'Email: not configured (TWOFOLD_SMTP_URL); messages are written to data/outbox.jsonl');
});

test('TWOFOLD_SMTP_URL selects SMTP, with TWOFOLD_SMTP_FROM or the default sender', async () => {
  const smtp = await startSmtpServer();
  try {
    const url = `smtp://mailer:pa55word@127.0.0.1:${smtp.port}`;
    const withDefault = deliveryFromEnv({ TWOFOLD_SMTP_URL: url }, 'data', clock);
    assert.equal(withDefault.notices[0], `Email: SMTP smtp://127.0.0.1:${smtp.port}`);
    assert.ok(!withDefault.notices.join('\n').includes('pa55word'));
    await withDefault.email.send({ channel: 'email', to: 'one@example.com', subject: 's', text: 't' });
    const first = await smtp.waitFor((mail) => mail.to.includes('one@example.com'));
    assert.equal(first.from, 'no-reply@localhost');
    assert.equal(first.fromName, 'Twofold');

    const withFrom = deliveryFromEnv({ TWOFOLD_SMTP_URL: url, TWOFOLD_SMTP_FROM: 'Acme <security@acme.test>' }, 'data', clock);
    await withFrom.email.send({ channel: 'email', to: 'two@example.com', subject: 's', text: 't' });
    assert.equal((await smtp.waitFor((mail) => mail.to.includes('two@example.com'))).from, 'security@acme.test');
    // SMTP alone leaves SMS on the outbox.
    assert.match(withFrom.notices[1] ?? '', /^SMS: not configured/);
  } finally {
    await smtp.stop();
  }
});

test('the three SMS variables select the HTTP gateway', async () => {
  const gateway = await startFakeSmsGateway();
  try {
    const delivery = deliveryFromEnv(
      {
        TWOFOLD_SMS_ACCOUNT_SID: gateway.accountSid,
        TWOFOLD_SMS_AUTH_TOKEN: gateway.authToken,
        TWOFOLD_SMS_FROM: '+15005550006',
        TWOFOLD_SMS_BASE_URL: gateway.baseUrl,
      },
      'data',
      clock,
    );
    assert.equal(delivery.notices[1], `SMS: SMS gateway ${gateway.baseUrl} (account ${gateway.accountSid})`);
    assert.ok(!delivery.notices.join('\n').includes(gateway.authToken));
    await delivery.sms.send({ channel: 'sms', to: '+14155550123', subject: '', text: '654321' });
    assert.deepEqual(gateway.sent.at(-1), { To: '+14155550123', From: '+15005550006', Body: '654321' });
  } finally {
    await gateway.stop();
  }
});

test('the SMS gateway defaults to Twilio', () => {
  const delivery = deliveryFromEnv(
    { TWOFOLD_SMS_ACCOUNT_SID: 'AC1', TWOFOLD_SMS_AUTH_TOKEN: 'token', TWOFOLD_SMS_FROM: '+15005550006' },
    'data',
    clock,
  );
  assert.equal(delivery.sms.description, 'SMS gateway https://api.twilio.com (account AC1)');
});

test('an SMTP URL that is not smtp:// or smtps:// is refused without echoing it', () => {
  rejectsVariable({ TWOFOLD_SMTP_URL: 'https://user:hunter2@mail.example.com' }, 'TWOFOLD_SMTP_URL', 'hunter2');
  rejectsVariable({ TWOFOLD_SMTP_URL: 'mail.example.com:587' }, 'TWOFOLD_SMTP_URL', 'mail.example.com');
  rejectsVariable({ TWOFOLD_SMTP_URL: 'not a url hunter2' }, 'TWOFOLD_SMTP_URL', 'hunter2');
  assert.doesNotThrow(() => deliveryFromEnv({ TWOFOLD_SMTP_URL: 'smtps://u:p@mail.example.com:465' }, 'data', clock));
});

test('half an SMS configuration is refused, naming what is missing', () => {
  rejectsVariable({ TWOFOLD_SMS_ACCOUNT_SID: 'AC1' }, 'TWOFOLD_SMS_AUTH_TOKEN');
  rejectsVariable({ TWOFOLD_SMS_ACCOUNT_SID: 'AC1', TWOFOLD_SMS_AUTH_TOKEN: 'secret-token' }, 'TWOFOLD_SMS_FROM', 'secret-token');
  rejectsVariable({ TWOFOLD_SMS_AUTH_TOKEN: 't', TWOFOLD_SMS_FROM: '+1' }, 'TWOFOLD_SMS_ACCOUNT_SID');
  rejectsVariable({ TWOFOLD_SMS_BASE_URL: 'https://sms.example.com' }, 'TWOFOLD_SMS_ACCOUNT_SID');
});

test('a bad SMS base URL is refused', () => {
  rejectsVariable(
    { TWOFOLD_SMS_ACCOUNT_SID: 'AC1', TWOFOLD_SMS_AUTH_TOKEN: 't', TWOFOLD_SMS_FROM: '+1', TWOFOLD_SMS_BASE_URL: 'ftp://sms.example.com' },
    'TWOFOLD_SMS_BASE_URL',
  );
});
