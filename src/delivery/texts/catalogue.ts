/**
 * What each language must say, one entry per kind of message Twofold sends. Every language file
 * implements the whole of {@link MessageTexts}: a kind missing from one language is a type error, and
 * test/delivery/message-languages.test.ts renders every kind in every language.
 *
 * The entries receive values already made safe (names on one line, dates in the member's locale) and
 * give back words only: channels, recipients and layout stay in messages.ts.
 */
import type { MethodId } from '../../core/methodCatalogue.ts';

export type CodePurpose = 'sign_in' | 'password_change' | 'setup';

export interface CodeValues {
  readonly org: string;
  readonly code: string;
  readonly purpose: CodePurpose;
  /** How long the code stays valid, in minutes. */
  readonly minutes: number;
}

/** A notice's subject and its lines; messages.ts adds the "if this was not you" line where it applies. */
export interface Worded {
  readonly subject: string;
  readonly lines: readonly string[];
}

export interface MessageTexts {
  /** The BCP 47 locale dates are written in. */
  readonly locale: string;
  /** Each method as people say it in this language ("text message", not `sms`). */
  readonly methodNames: Readonly<Record<MethodId, string>>;
  /** The closing line of a notice about a change the member may not have made. */
  readonly ifNotYou: string;
  /** A text message: one short sentence, within one segment with a 40-character organization name. */
  smsCode(v: CodeValues): string;
  smsSubject(org: string): string;
  emailCodeSubject(v: CodeValues): string;
  /** The lines before the code, and the lines after it. */
  emailCode(v: CodeValues): { readonly before: string; readonly after: readonly string[] };
  factorBound(v: { org: string; at: string; factor: string }): Worded;
  factorRemoved(v: { org: string; at: string; factor: string }): Worded;
  passwordChanged(v: { org: string; at: string; by: string | null }): Worded;
  twoStepReset(v: { org: string; at: string; by: string }): Worded;
  primaryMethodReset(v: { org: string; at: string; by: string; method: string }): Worded;
  setupCodeIssued(v: { org: string; at: string; by: string }): Worded;
  recoveryCodesIssued(v: { org: string; at: string; count: number }): Worded;
  recoveryCodeUsed(v: { org: string; at: string; remaining: number; purpose: 'sign_in' | 'password_change' }): Worded;
  /** Push paused after requests the member denied or left unanswered; `until` is a date in the member's locale. */
  pushSuspended(v: { org: string; at: string; until: string }): Worded;
  /** Before the link, and after it; `expires` is a date in the member's locale. */
  invitation(v: { org: string; expires: string }): { readonly subject: string; readonly before: string; readonly after: readonly string[] };
  passwordReset(v: { org: string; expires: string }): { readonly subject: string; readonly before: string; readonly after: readonly string[] };
}
