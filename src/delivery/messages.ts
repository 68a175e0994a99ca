/**
 * The words of every message Twofold sends. Each says which organization and what for, and carries
 * nothing but the code (or link) and that context: no member ids, no session data, no secrets of
 * anyone else, so a message shown on a lock screen or forwarded by mistake gives away no more than
 * the code itself.
 */
import type { Channel, Message } from './ports.ts';

/** What a sent code is for. */
export type CodePurpose = 'sign_in' | 'password_change' | 'setup';

export interface VerificationCodeInput {
  readonly channel: Channel;
  readonly to: string;
  readonly organizationName: string;
  readonly code: string;
  readonly purpose: CodePurpose;
  /** How long the code stays valid, as the member should be told. */
  readonly ttlMinutes: number;
}

/** A code sent by SMS or email, to sign in, change the password or confirm a new factor. */
export function verificationCodeMessage(input: VerificationCodeInput): Message {
  const { channel, to, code, ttlMinutes } = input;
  const purpose = PURPOSES[input.purpose];
  const minutes = `${ttlMinutes} minute${ttlMinutes === 1 ? '' : 's'}`;
  if (channel === 'sms') {
    // SMS stays within one 160-character segment: a long organization name is cut, not the code.
    const org = oneLine(input.organizationName, 40);
    return {
      channel,
      to,
      subject: `${org}: verification code`,
      text: `${code} is your ${org} code ${purpose.sms}. It expires in ${minutes}. Never share it.`,
    };
  }
  const org = oneLine(input.organizationName);
  return {
    channel,
    to,
    subject: `${org}: your code ${purpose.sms}`,
    text: [
      `Your code ${purpose.email(org)} is:`,
      '',
      `    ${code}`,
      '',
      `It expires in ${minutes}. Never share it; nobody from ${org} will ask you for it.`,
      `If you did not ask for this code, someone may know your password: change it and tell your administrator.`,
    ].join('\n'),
  };
}

const PURPOSES: Record<CodePurpose, { sms: string; email: (org: string) => string }> = {
  sign_in: { sms: 'to sign in', email: (org) => `to sign in to ${org}` },
  password_change: { sms: 'to change your password', email: (org) => `to change your ${org} password` },
  setup: {
    sms: 'to set up two-step verification',
    email: (org) => `to set up two-step verification for ${org}`,
  },
};

/** The common input of the security notices sent by email to the member concerned. */
export interface NoticeInput {
  /** The member's email address. */
  readonly to: string;
  readonly organizationName: string;
  /** When it happened. */
  readonly at: Date;
}

/** A second factor was bound to the member's account (docs/security.md S25, S26). */
export function factorBoundNotice(input: NoticeInput & { readonly factorLabel: string }): Message {
  const org = oneLine(input.organizationName);
  return notice(input.to, `${org}: a verification method was added to your account`, [
    `On ${formatTime(input.at)}, "${oneLine(input.factorLabel)}" was added as a two-step verification method to your ${org} account.`,
    '',
    IF_NOT_YOU,
  ]);
}

/** Push was suspended for the member after requests they denied or left unanswered. */
export function pushSuspendedNotice(input: NoticeInput & { readonly until: Date }): Message {
  const org = oneLine(input.organizationName);
  return notice(input.to, `${org}: authenticator app notifications paused`, [
    `On ${formatTime(input.at)}, several sign-in requests to your authenticator app were denied or not answered, so ${org} will not send you authenticator app notifications until ${formatTime(input.until)}. Your other verification methods still work.`,
    '',
    'If you did not try to sign in, someone may know your password: change it.',
  ]);
}

/** A second factor was removed from the member's account (docs/security.md S28). */
export function factorRemovedNotice(input: NoticeInput & { readonly factorLabel: string }): Message {
  const org = oneLine(input.organizationName);
  return notice(input.to, `${org}: a verification method was removed from your account`, [
    `On ${formatTime(input.at)}, "${oneLine(input.factorLabel)}" was removed from the two-step verification methods of your ${org} account.`,
    '',
    IF_NOT_YOU,
  ]);
}

/**
 * The member's password was changed (docs/security.md S27), by the member or, when `changedBy` names
 * them, by an administrator.
 */
export function passwordChangedNotice(input: NoticeInput & { readonly changedBy?: string | undefined }): Message {
  const org = oneLine(input.organizationName);
  const by = input.changedBy ? ` by ${oneLine(input.changedBy)}` : '';
  return notice(input.to, `${org}: your password was changed`, [
    `Your ${org} password was changed${by} on ${formatTime(input.at)}.`,
    '',
    IF_NOT_YOU,
  ]);
}

/** An administrator reset the member's two-step verification (docs/security.md S29). */
export function twoStepResetNotice(input: NoticeInput & { readonly resetBy: string }): Message {
  const org = oneLine(input.organizationName);
  return notice(input.to, `${org}: your two-step verification was reset`, [
    `On ${formatTime(input.at)}, ${oneLine(input.resetBy)} reset two-step verification on your ${org} account.`,
    'The next time you sign in you will be asked to set it up again.',
    '',
    // After a reset, whoever holds the password can bind the first factor: the member must know.
    'If you did not expect this, tell your administrator before anyone signs in with your password.',
  ]);
}

/**
 * A master administrator changed the organization's primary method, which resets two-step
 * verification for everyone who had it set up: each is told, as a single reset tells its member.
 */
export function primaryMethodResetNotice(input: NoticeInput & { readonly changedBy: string; readonly primaryMethodName: string }): Message {
  const org = oneLine(input.organizationName);
  return notice(input.to, `${org}: your two-step verification was reset`, [
    `On ${formatTime(input.at)}, ${oneLine(input.changedBy)} made the ${oneLine(input.primaryMethodName)} the primary two-step verification method of ${org}, which resets it for everyone.`,
    'The next time you sign in you will be asked to set it up again, starting with that method.',
    '',
    'If you did not expect this, tell your administrator before anyone signs in with your password.',
  ]);
}

/** An administrator issued a setup code for the member (docs/security.md S26). */
export function setupCodeIssuedNotice(input: NoticeInput & { readonly issuedBy: string }): Message {
  const org = oneLine(input.organizationName);
  return notice(input.to, `${org}: a setup code was issued for your account`, [
    `On ${formatTime(input.at)}, ${oneLine(input.issuedBy)} issued a one-time setup code for your ${org} account.`,
    'You will need it, from your administrator, to set up two-step verification.',
    '',
    IF_NOT_YOU,
  ]);
}

/** A new set of recovery codes was made for the member; the old set no longer works (docs/security.md S10). */
export function recoveryCodesIssuedNotice(input: NoticeInput & { readonly count: number }): Message {
  const org = oneLine(input.organizationName);
  return notice(input.to, `${org}: new recovery codes were created for your account`, [
    `On ${formatTime(input.at)}, ${input.count} new recovery codes were created for your ${org} account.`,
    'Any recovery codes you had before no longer work.',
    '',
    IF_NOT_YOU,
  ]);
}

/**
 * A recovery code was used instead of a verification method (docs/security.md S10: use notified), with
 * how many are left, so a member who did not use it knows at once that someone holds their codes.
 */
export function recoveryCodeUsedNotice(
  input: NoticeInput & { readonly remaining: number; readonly purpose: 'sign_in' | 'password_change' },
): Message {
  const org = oneLine(input.organizationName);
  const what = input.purpose === 'sign_in' ? `sign in to your ${org} account` : `change your ${org} password`;
  const left = input.remaining === 1 ? '1 recovery code is' : `${input.remaining} recovery codes are`;
  return notice(input.to, `${org}: a recovery code was used`, [
    `On ${formatTime(input.at)}, a recovery code was used to ${what}. Each code works once.`,
    `${left} left.${input.remaining <= 3 ? ' Create a new set from your account once you are signed in.' : ''}`,
    '',
    // A recovery code stands in for the phone: whoever used it has the password and the code sheet.
    'If this was not you, tell your administrator at once: someone has your password and your recovery codes.',
  ]);
}

export interface InvitationInput {
  /** The invited member's email address. */
  readonly to: string;
  readonly organizationName: string;
  /** The single-use link to set a password. It is the secret this message exists to carry. */
  readonly link: string;
  readonly expiresAt: Date;
}

/** An invitation to join an organization and set a password. */
export function invitationMessage(input: InvitationInput): Message {
  const org = oneLine(input.organizationName);
  return notice(input.to, `You are invited to ${org}`, [
    `You have been invited to ${org}. Set your password here:`,
    '',
    input.link,
    '',
    `The link works once and expires on ${formatTime(input.expiresAt)}.`,
    'If you did not expect this invitation, ignore this email.',
  ]);
}

export interface PasswordResetInput {
  readonly to: string;
  readonly organizationName: string;
  /** The single-use link to choose a new password. It is the secret this message exists to carry. */
  readonly link: string;
  readonly expiresAt: Date;
}

/** A forgotten password: the link to choose a new one. Whoever did not ask can ignore it. */
export function passwordResetMessage(input: PasswordResetInput): Message {
  const org = oneLine(input.organizationName);
  return notice(input.to, `${org}: reset your password`, [
    `Someone asked to reset your ${org} password. Choose a new one here:`,
    '',
    input.link,
    '',
    `The link works once and expires on ${formatTime(input.expiresAt)}. If you use two-step verification, you will verify with it too.`,
    'If you did not ask, ignore this email: your password stays as it is.',
  ]);
}

const IF_NOT_YOU = 'If this was not you, tell your administrator at once: someone may have your password.';

const notice = (to: string, subject: string, lines: readonly string[]): Message => ({
  channel: 'email',
  to,
  subject,
  text: lines.join('\n'),
});

/**
 * Names come from administrators; a line break in one could forge lines of the message (or
 * headers, in a less careful mail library), so control characters become spaces. The cut is
 * marked with "..." rather than "…", which is outside the GSM 7-bit alphabet and would halve an SMS.
 */
function oneLine(value: string, maxLength = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 3)}...` : flat;
}

/** `2025-01-31 14:05 UTC`: unambiguous to every reader, whatever the server's locale. */
function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
