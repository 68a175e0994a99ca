// Every message Twofold sends exists in each of the seven languages: a French member reads French,
// with the date in French and the methods named as people say them, never an id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MEMBER_LANGUAGES, languageFromAcceptLanguage, type MemberLanguage } from '../../src/core/languages.ts';
import {
  factorBoundNotice, factorRemovedNotice, gsmSafe, invitationMessage, passwordChangedNotice, passwordResetMessage,
  primaryMethodResetNotice, recoveryCodeUsedNotice, recoveryCodesIssuedNotice, setupCodeIssuedNotice,
  twoStepResetNotice, verificationCodeMessage,
} from '../../src/delivery/messages.ts';
import type { Message } from '../../src/delivery/ports.ts';

const at = new Date('2025-06-07T08:09:10Z');
const base = { to: 'ada@example.com', organizationName: 'Acme', at };
const link = 'https://twofold.example.com/invitations/abc.def';

/** One of each kind of message, in `language`. */
function everyKind(language: MemberLanguage): Record<string, Message> {
  const l = { ...base, language };
  return {
    smsSignIn: verificationCodeMessage({ channel: 'sms', to: '+1', organizationName: 'Acme', code: '482913', purpose: 'sign_in', ttlMinutes: 10, language }),
    smsPasswordChange: verificationCodeMessage({ channel: 'sms', to: '+1', organizationName: 'Acme', code: '482913', purpose: 'password_change', ttlMinutes: 10, language }),
    smsSetup: verificationCodeMessage({ channel: 'sms', to: '+1', organizationName: 'Acme', code: '482913', purpose: 'setup', ttlMinutes: 10, language }),
    emailSignIn: verificationCodeMessage({ channel: 'email', to: 'a', organizationName: 'Acme', code: '482913', purpose: 'sign_in', ttlMinutes: 10, language }),
    emailPasswordChange: verificationCodeMessage({ channel: 'email', to: 'a', organizationName: 'Acme', code: '482913', purpose: 'password_change', ttlMinutes: 10, language }),
    emailSetup: verificationCodeMessage({ channel: 'email', to: 'a', organizationName: 'Acme', code: '482913', purpose: 'setup', ttlMinutes: 10, language }),
    factorBound: factorBoundNotice({ ...l, factorMethod: 'sms', factorLabel: '+1 ••• 0123' }),
    factorRemoved: factorRemovedNotice({ ...l, factorMethod: 'totp', factorLabel: 'Authenticator app' }),
    passwordChanged: passwordChangedNotice(l),
    passwordChangedByAdmin: passwordChangedNotice({ ...l, changedBy: 'Grace Hopper' }),
    twoStepReset: twoStepResetNotice({ ...l, resetBy: 'Grace Hopper' }),
    primaryMethodReset: primaryMethodResetNotice({ ...l, changedBy: 'Grace Hopper', primaryMethod: 'totp' }),
    setupCodeIssued: setupCodeIssuedNotice({ ...l, issuedBy: 'Grace Hopper' }),
    recoveryCodesIssued: recoveryCodesIssuedNotice({ ...l, count: 10 }),
    recoveryCodeUsed: recoveryCodeUsedNotice({ ...l, remaining: 1, purpose: 'sign_in' }),
    recoveryCodeUsedPasswordChange: recoveryCodeUsedNotice({ ...l, remaining: 7, purpose: 'password_change' }),
    invitation: invitationMessage({ to: 'a', organizationName: 'Acme', link, expiresAt: at, language }),
    passwordReset: passwordResetMessage({ to: 'a', organizationName: 'Acme', link, expiresAt: at, language }),
  };
}

const english = everyKind('en');
const JUNE: Record<MemberLanguage, string> = { en: 'June', fr: 'juin', it: 'giugno', de: 'Juni', es: 'junio', pt: 'junho', nl: 'juni' };

for (const language of MEMBER_LANGUAGES) {
  test(`every kind of message exists in ${language}, with the organization and its date in that language`, () => {
    const messages = everyKind(language);
    assert.deepEqual(Object.keys(messages), Object.keys(english));
    for (const [kind, message] of Object.entries(messages)) {
      assert.ok(message.subject.trim() !== '' && message.text.trim() !== '', `${language} ${kind} is empty`);
      assert.ok(message.text.includes('Acme') || message.subject.includes('Acme'), `${language} ${kind} names the organization`);
      if (language !== 'en') {
        assert.notEqual(message.text, english[kind]!.text, `${language} ${kind} is translated`);
        assert.notEqual(message.subject, english[kind]!.subject, `${language} ${kind} subject is translated`);
      }
      // Method ids are never shown to people.
      assert.doesNotMatch(`${message.subject} ${message.text}`, /\b(totp|push)\b/, `${language} ${kind}: ${message.text}`);
      assert.doesNotMatch(message.text, /undefined|null|NaN|\[object/, `${language} ${kind}: ${message.text}`);
    }
    for (const kind of ['factorBound', 'passwordChanged', 'twoStepReset', 'invitation', 'passwordReset'] as const) {
      assert.ok(messages[kind]!.text.includes(JUNE[language]), `${language} ${kind} dates in the member's locale: ${messages[kind]!.text}`);
      assert.ok(messages[kind]!.text.includes('UTC'), `${language} ${kind} says the time zone`);
    }
    for (const kind of ['smsSignIn', 'emailSignIn', 'emailSetup'] as const) assert.ok(messages[kind]!.text.includes('482913'));
    for (const kind of ['invitation', 'passwordReset'] as const) assert.ok(messages[kind]!.text.split('\n').includes(link));
    assert.ok(messages.passwordChangedByAdmin!.text.includes('Grace Hopper'));
  });

  test(`a text message in ${language} stays in one GSM segment, even with a 200-character organization name`, () => {
    for (const purpose of ['sign_in', 'password_change', 'setup'] as const) {
      const message = verificationCodeMessage({ channel: 'sms', to: '+1', organizationName: 'A'.repeat(200), code: '12345678', purpose, ttlMinutes: 10, language });
      assert.ok(message.text.length <= 160, `${language} ${purpose} ${message.text.length}: ${message.text}`);
      assert.equal(gsmSafe(message.text), message.text, `${language} ${purpose} is in the GSM alphabet: ${message.text}`);
      assert.ok(message.text.includes('12345678'));
    }
  });
}

test('a member without a language, or with one Twofold does not speak, is written to in English', () => {
  for (const language of [null, 'xx']) {
    const message = verificationCodeMessage({ channel: 'email', to: 'a', organizationName: 'Acme', code: '482913', purpose: 'sign_in', ttlMinutes: 10, language });
    assert.equal(message.text, english.emailSignIn!.text);
  }
});

test('Accept-Language gives the first language Twofold speaks, by preference', () => {
  assert.equal(languageFromAcceptLanguage('fr-CA,fr;q=0.9,en;q=0.8'), 'fr');
  assert.equal(languageFromAcceptLanguage('ja,de;q=0.5,en;q=0.7'), 'en');
  assert.equal(languageFromAcceptLanguage('ja, zh;q=0.8'), null);
  assert.equal(languageFromAcceptLanguage('nl;q=0, pt-BR'), 'pt');
  assert.equal(languageFromAcceptLanguage(undefined), null);
  assert.equal(languageFromAcceptLanguage('*'), null);
});
