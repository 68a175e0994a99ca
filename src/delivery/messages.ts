/**
 * The words of every message Twofold sends. Each says which organization and what for, and carries
 * nothing but the code (or link) and that context: no member ids, no session data, no secrets of
 * anyone else, so a message shown on a lock screen or forwarded by mistake gives away no more than
 * the code itself.
 *
 * Each is written in the member's language (`language`: the one on their record; English while they
 * have none), with the words of texts/<language>.ts and dates in that language's locale.
 */
import { languageOrDefault } from '../core/languages.ts';
import type { MethodId } from '../core/methodCatalogue.ts';
import type { Channel, Message } from './ports.ts';
import type { CodePurpose, MessageTexts } from './texts/catalogue.ts';
import { MESSAGE_TEXTS } from './texts/index.ts';

export type { CodePurpose } from './texts/catalogue.ts';

/** The member's language as stored on their record (null: not chosen, English). */
interface InLanguage {
  readonly language: string | null;
}

const textsFor = (language: string | null): MessageTexts => MESSAGE_TEXTS[languageOrDefault(language)];

export interface VerificationCodeInput extends InLanguage {
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
  const { channel, to, code, ttlMinutes: minutes, purpose } = input;
  const texts = textsFor(input.language);
  if (channel === 'sms') {
    // SMS stays within one 160-character segment: a long organization name is cut, not the code,
    // and letters outside the GSM alphabet lose their accent (one of them would make it a 70-character segment).
    const org = oneLine(input.organizationName, 40);
    return { channel, to, subject: texts.smsSubject(org), text: gsmSafe(texts.smsCode({ org, code, purpose, minutes })) };
  }
  const org = oneLine(input.organizationName);
  const values = { org, code, purpose, minutes };
  const { before, after } = texts.emailCode(values);
  return { channel, to, subject: texts.emailCodeSubject(values), text: [before, '', `    ${code}`, '', ...after].join('\n') };
}

/** The common input of the security notices sent by email to the member concerned. */
export interface NoticeInput extends InLanguage {
  /** The member's email address. */
  readonly to: string;
  readonly organizationName: string;
  /** When it happened. */
  readonly at: Date;
}

/** A factor as the member knows it: its method, and its label (a masked number or address). */
export interface FactorNamed {
  readonly factorMethod: MethodId;
  readonly factorLabel: string;
}

/** A second factor was bound to the member's account. */
export function factorBoundNotice(input: NoticeInput & FactorNamed): Message {
  return worded(input, (texts, org, at) => texts.factorBound({ org, at, factor: factorName(texts, input) }), true);
}

/** Push was suspended for the member after requests they denied or left unanswered. */
export function pushSuspendedNotice(input: NoticeInput & { readonly until: Date }): Message {
  return worded(input, (texts, org, at) => texts.pushSuspended({ org, at, until: formatTime(texts, input.until) }), false);
}

/** A second factor was removed from the member's account. */
export function factorRemovedNotice(input: NoticeInput & FactorNamed): Message {
  return worded(input, (texts, org, at) => texts.factorRemoved({ org, at, factor: factorName(texts, input) }), true);
}

/** The member's password was changed, by the member or, when `changedBy` names them, by an administrator. */
export function passwordChangedNotice(input: NoticeInput & { readonly changedBy?: string | undefined }): Message {
  const by = input.changedBy ? oneLine(input.changedBy) : null;
  return worded(input, (texts, org, at) => texts.passwordChanged({ org, at, by }), true);
}

/** An administrator reset the member's two-step verification. */
export function twoStepResetNotice(input: NoticeInput & { readonly resetBy: string }): Message {
  // After a reset, whoever holds the password can bind the first factor: the member must know.
  return worded(input, (texts, org, at) => texts.twoStepReset({ org, at, by: oneLine(input.resetBy) }), false);
}

/**
 * A master administrator changed the organization's primary method, which resets two-step
 * verification for everyone who had it set up: each is told, as a single reset tells its member.
 */
export function primaryMethodResetNotice(input: NoticeInput & { readonly changedBy: string; readonly primaryMethod: MethodId }): Message {
  return worded(input, (texts, org, at) => texts.primaryMethodReset({
    org, at, by: oneLine(input.changedBy), method: texts.methodNames[input.primaryMethod],
  }), false);
}

/** An administrator issued a setup code for the member. */
export function setupCodeIssuedNotice(input: NoticeInput & { readonly issuedBy: string }): Message {
  return worded(input, (texts, org, at) => texts.setupCodeIssued({ org, at, by: oneLine(input.issuedBy) }), true);
}

/** A new set of recovery codes was made for the member; the old set no longer works. */
export function recoveryCodesIssuedNotice(input: NoticeInput & { readonly count: number }): Message {
  return worded(input, (texts, org, at) => texts.recoveryCodesIssued({ org, at, count: input.count }), true);
}

/**
 * A recovery code was used instead of a verification method, with how many are left, so a member
 * who did not use it knows at once that someone holds their codes.
 */
export function recoveryCodeUsedNotice(
  input: NoticeInput & { readonly remaining: number; readonly purpose: 'sign_in' | 'password_change' },
): Message {
  // A recovery code stands in for the phone: whoever used it has the password and the code sheet.
  return worded(input, (texts, org, at) => texts.recoveryCodeUsed({ org, at, remaining: input.remaining, purpose: input.purpose }), false);
}

export interface InvitationInput extends InLanguage {
  /** The invited member's email address. */
  readonly to: string;
  readonly organizationName: string;
  /** The single-use link to set a password. It is the secret this message exists to carry. */
  readonly link: string;
  readonly expiresAt: Date;
}

/** An invitation to join an organization and set a password. */
export function invitationMessage(input: InvitationInput): Message {
  const texts = textsFor(input.language);
  const { subject, before, after } = texts.invitation({ org: oneLine(input.organizationName), expires: formatTime(texts, input.expiresAt) });
  return notice(input.to, subject, [before, '', input.link, '', ...after]);
}

export interface PasswordResetInput extends InLanguage {
  readonly to: string;
  readonly organizationName: string;
  /** The single-use link to choose a new password. It is the secret this message exists to carry. */
  readonly link: string;
  readonly expiresAt: Date;
}

/** A forgotten password: the link to choose a new one. Whoever did not ask can ignore it. */
export function passwordResetMessage(input: PasswordResetInput): Message {
  const texts = textsFor(input.language);
  const { subject, before, after } = texts.passwordReset({ org: oneLine(input.organizationName), expires: formatTime(texts, input.expiresAt) });
  return notice(input.to, subject, [before, '', input.link, '', ...after]);
}

/** A notice in the member's language; `ifNotYou` closes it with the line for a change they may not have made. */
function worded(
  input: NoticeInput,
  words: (texts: MessageTexts, org: string, at: string) => { subject: string; lines: readonly string[] },
  ifNotYou: boolean,
): Message {
  const texts = textsFor(input.language);
  const { subject, lines } = words(texts, oneLine(input.organizationName), formatTime(texts, input.at));
  return notice(input.to, subject, ifNotYou ? [...lines, '', texts.ifNotYou] : lines);
}

/**
 * An authenticator app is named by its method alone (its stored label is that name, in English); a
 * text message or email factor by its method and its masked number or address.
 */
function factorName(texts: MessageTexts, factor: FactorNamed): string {
  const method = texts.methodNames[factor.factorMethod];
  const label = oneLine(factor.factorLabel);
  return factor.factorMethod === 'totp' || factor.factorMethod === 'push' || label === '' ? capitalize(method, texts.locale) : `${capitalize(method, texts.locale)} ${label}`;
}

const capitalize = (text: string, locale: string): string => text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);

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

/**
 * A date and time in the member's locale ("7 juin 2025 à 08:09 UTC"), always in UTC and saying so:
 * the server does not know the member's time zone, and a time without one would mislead.
 */
function formatTime(texts: MessageTexts, date: Date): string {
  const written = new Intl.DateTimeFormat(texts.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date);
  return `${written} UTC`;
}

/** The GSM 7-bit default alphabet (3GPP TS 23.038), without its escaped characters. */
const GSM_7BIT = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');

/**
 * A text message in the GSM alphabet when it can be: a letter outside it (the "ó" of "código", the "ê"
 * of "être") is written without its accent, as people do in text messages; anything else is kept.
 */
export function gsmSafe(text: string): string {
  return Array.from(text, (char) => {
    if (GSM_7BIT.has(char)) return char;
    if (char === '’') return "'";
    const base = char.normalize('NFD').replace(/\p{Mn}+/gu, '');
    return base !== '' && Array.from(base).every((c) => GSM_7BIT.has(c)) ? base : char;
  }).join('');
}
