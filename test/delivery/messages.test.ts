// A message may be read on a lock screen, by a carrier or by whoever the email is forwarded to: it
// must say which organization and what for, and carry the code (or link) and nothing else secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  factorBoundNotice,
  factorRemovedNotice,
  invitationMessage,
  passwordChangedNotice,
  twoStepResetNotice,
  verificationCodeMessage,
} from '../../src/delivery/messages.ts';
import type { CodePurpose } from '../../src/delivery/messages.ts';
import type { Message } from '../../src/delivery/ports.ts';

const at = new Date('2025-06-07T08:09:10Z');
const PURPOSES: readonly CodePurpose[] = ['sign_in', 'password_change', 'setup'];

/** Every run of 4 or more digits in the message: the code and the date/time, nothing else. */
const digitRuns = (message: Message): string[] => `${message.subject}\n${message.text}`.match(/\d{4,}/g) ?? [];

for (const channel of ['sms', 'email'] as const) {
  for (const purpose of PURPOSES) {
    test(`a ${channel} code to ${purpose} names the organization and carries only the code`, () => {
      const message = verificationCodeMessage({ channel, to: 'x', organizationName: 'Acme Field Services', code: '482913', purpose, ttlMinutes: 10, language: 'en' });
      assert.equal(message.channel, channel);
      assert.equal(message.to, 'x');
      assert.ok(message.text.includes('Acme Field Services'));
      assert.ok(message.text.includes('482913'));
      assert.ok(message.text.includes('10 minutes'));
      assert.ok(!message.subject.includes('482913'), 'the code stays out of the subject line');
      assert.deepEqual(digitRuns(message), ['482913']);
      const what = { sign_in: 'sign in', password_change: 'password', setup: 'two-step verification' }[purpose];
      assert.ok(message.text.includes(what), message.text);
    });
  }
}

test('an SMS fits one 160-character segment, even with a 200-character organization name', () => {
  for (const purpose of PURPOSES) {
    const message = verificationCodeMessage({ channel: 'sms', to: '+1', organizationName: 'A'.repeat(200), code: '12345678', purpose, ttlMinutes: 10, language: 'en' });
    assert.ok(message.text.length <= 160, `${message.text.length}: ${message.text}`);
    assert.ok(message.text.includes('12345678'));
  }
});

test('line breaks in names cannot forge lines of a message', () => {
  const message = verificationCodeMessage({
    channel: 'email',
    to: 'a@example.com',
    organizationName: 'Acme\r\nBcc: evil@example.com\n\nYour code is 000000',
    code: '482913',
    purpose: 'sign_in',
    ttlMinutes: 10,
    language: 'en',
  });
  assert.ok(!/[\r\n]/.test(message.subject));
  assert.ok(!message.text.split('\n').some((line) => line.startsWith('Bcc:') || line.startsWith('Your code is 000000')));
  const notice = twoStepResetNotice({ to: 'a@example.com', organizationName: 'Acme', resetBy: 'Eve\nYou must reply with your password', at, language: 'en' });
  assert.ok(!notice.text.split('\n').some((line) => line.startsWith('You must reply')));
});

test('a bound factor is notified with the factor, the organization and the time', () => {
  const message = factorBoundNotice({ to: 'ada@example.com', organizationName: 'Acme', factorMethod: 'totp', factorLabel: 'Authenticator app', at, language: 'en' });
  assert.equal(message.channel, 'email');
  assert.equal(message.to, 'ada@example.com');
  assert.match(message.subject, /Acme.*added/);
  assert.ok(message.text.includes('"Authenticator app"'));
  assert.ok(message.text.includes('7 June 2025 at 08:09 UTC'));
  assert.deepEqual(digitRuns(message), ['2025']);
});

test('a removed factor is notified the same way', () => {
  const message = factorRemovedNotice({ to: 'ada@example.com', organizationName: 'Acme', factorMethod: 'sms', factorLabel: '+1 ••• 0123', at, language: 'en' });
  assert.match(message.subject, /Acme.*removed/);
  assert.ok(message.text.includes('"Text message +1 ••• 0123"'));
  assert.ok(message.text.includes('7 June 2025 at 08:09 UTC'));
});

test('a password change is notified, naming the administrator when one made it', () => {
  const own = passwordChangedNotice({ to: 'ada@example.com', organizationName: 'Acme', at, language: 'en' });
  assert.match(own.subject, /Acme.*password/);
  assert.ok(own.text.includes('Your Acme password was changed on 7 June 2025 at 08:09 UTC.'));
  const byAdmin = passwordChangedNotice({ to: 'ada@example.com', organizationName: 'Acme', at, changedBy: 'Grace Hopper', language: 'en' });
  assert.ok(byAdmin.text.includes('changed by Grace Hopper on 7 June 2025 at 08:09 UTC'));
});

test('a two-step verification reset says by whom and when, and what happens next', () => {
  const message = twoStepResetNotice({ to: 'ada@example.com', organizationName: 'Acme', resetBy: 'Grace Hopper', at, language: 'en' });
  assert.match(message.subject, /Acme.*reset/);
  assert.ok(message.text.includes('On 7 June 2025 at 08:09 UTC, Grace Hopper reset two-step verification on your Acme account.'));
  assert.ok(message.text.includes('set it up again'));
});

test('an invitation carries the organization, the link and its expiry', () => {
  const link = 'https://twofold.example.com/invitations/abc.def';
  const message = invitationMessage({ to: 'new@example.com', organizationName: 'Acme', link, expiresAt: at, language: 'en' });
  assert.equal(message.channel, 'email');
  assert.equal(message.to, 'new@example.com');
  assert.equal(message.subject, 'You are invited to Acme');
  assert.ok(message.text.split('\n').includes(link), 'the link stands on a line of its own');
  assert.ok(message.text.includes('expires on 7 June 2025 at 08:09 UTC'));
});
