/** The messages in English, the source. */
import type { MessageTexts } from './catalogue.ts';

const minutes = (n: number): string => `${n} minute${n === 1 ? '' : 's'}`;

export const en: MessageTexts = {
  locale: 'en-GB',
  methodNames: { push: 'authenticator app notification', totp: 'authenticator app', sms: 'text message', email: 'email' },
  ifNotYou: 'If this was not you, tell your administrator at once: someone may have your password.',
  smsCode: ({ code, org, purpose, minutes: m }) =>
    `${code} is your ${org} code ${{ sign_in: 'to sign in', password_change: 'to change your password', setup: 'to set up two-step verification' }[purpose]}. It expires in ${minutes(m)}. Never share it.`,
  smsSubject: (org) => `${org}: verification code`,
  emailCodeSubject: ({ org, purpose }) =>
    `${org}: your code ${{ sign_in: 'to sign in', password_change: 'to change your password', setup: 'to set up two-step verification' }[purpose]}`,
  emailCode: ({ org, purpose, minutes: m }) => ({
    before: `Your code ${{ sign_in: `to sign in to ${org}`, password_change: `to change your ${org} password`, setup: `to set up two-step verification for ${org}` }[purpose]} is:`,
    after: [
      `It expires in ${minutes(m)}. Never share it; nobody from ${org} will ask you for it.`,
      'If you did not ask for this code, someone may know your password: change it and tell your administrator.',
    ],
  }),
  factorBound: ({ org, at, factor }) => ({
    subject: `${org}: a verification method was added to your account`,
    lines: [`On ${at}, "${factor}" was added as a two-step verification method to your ${org} account.`],
  }),
  factorRemoved: ({ org, at, factor }) => ({
    subject: `${org}: a verification method was removed from your account`,
    lines: [`On ${at}, "${factor}" was removed from the two-step verification methods of your ${org} account.`],
  }),
  passwordChanged: ({ org, at, by }) => ({
    subject: `${org}: your password was changed`,
    lines: [`Your ${org} password was changed${by ? ` by ${by}` : ''} on ${at}.`],
  }),
  twoStepReset: ({ org, at, by }) => ({
    subject: `${org}: your two-step verification was reset`,
    lines: [
      `On ${at}, ${by} reset two-step verification on your ${org} account.`,
      'The next time you sign in you will be asked to set it up again.',
      '',
      'If you did not expect this, tell your administrator before anyone signs in with your password.',
    ],
  }),
  primaryMethodReset: ({ org, at, by, method }) => ({
    subject: `${org}: your two-step verification was reset`,
    lines: [
      `On ${at}, ${by} made the ${method} the primary two-step verification method of ${org}, which resets it for everyone.`,
      'The next time you sign in you will be asked to set it up again, starting with that method.',
      '',
      'If you did not expect this, tell your administrator before anyone signs in with your password.',
    ],
  }),
  setupCodeIssued: ({ org, at, by }) => ({
    subject: `${org}: a setup code was issued for your account`,
    lines: [
      `On ${at}, ${by} issued a one-time setup code for your ${org} account.`,
      'You will need it, from your administrator, to set up two-step verification.',
    ],
  }),
  recoveryCodesIssued: ({ org, at, count }) => ({
    subject: `${org}: new recovery codes were created for your account`,
    lines: [
      `On ${at}, ${count} new recovery codes were created for your ${org} account.`,
      'Any recovery codes you had before no longer work.',
    ],
  }),
  recoveryCodeUsed: ({ org, at, remaining, purpose }) => ({
    subject: `${org}: a recovery code was used`,
    lines: [
      `On ${at}, a recovery code was used to ${purpose === 'sign_in' ? `sign in to your ${org} account` : `change your ${org} password`}. Each code works once.`,
      `${remaining === 1 ? '1 recovery code is' : `${remaining} recovery codes are`} left.${remaining <= 3 ? ' Create a new set from your account once you are signed in.' : ''}`,
      '',
      'If this was not you, tell your administrator at once: someone has your password and your recovery codes.',
    ],
  }),
  pushSuspended: ({ org, at, until }) => ({
    subject: `${org}: authenticator app notifications paused`,
    lines: [
      `On ${at}, several sign-in requests to your authenticator app were denied or not answered, so ${org} will not send you authenticator app notifications until ${until}. Your other verification methods still work.`,
      '',
      'If you did not try to sign in, someone may know your password: change it.',
    ],
  }),
  invitation: ({ org, expires }) => ({
    subject: `You are invited to ${org}`,
    before: `You have been invited to ${org}. Set your password here:`,
    after: [`The link works once and expires on ${expires}.`, 'If you did not expect this invitation, ignore this email.'],
  }),
  passwordReset: ({ org, expires }) => ({
    subject: `${org}: reset your password`,
    before: `Someone asked to reset your ${org} password. Choose a new one here:`,
    after: [
      `The link works once and expires on ${expires}. If you use two-step verification, you will verify with it too.`,
      'If you did not ask, ignore this email: your password stays as it is.',
    ],
  }),
};
