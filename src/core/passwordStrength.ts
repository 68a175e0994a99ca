/**
 * The password policy of docs/product-behaviour.md "Password policy": passwords of at least 8 characters from
 * four kinds (lowercase, uppercase, digit, special); Good = 3 kinds with some repeats, Strong = 3 kinds
 * without repeats or 4 with some, Excellent = 4 kinds without repeats; a maximum age with a notice.
 *
 * Definitions Twofold chose where the product is silent:
 * - A **character** is a Unicode code point, so "é" or an emoji counts once, not as two UTF-16 units.
 * - **Kinds**: lowercase = Unicode `Lowercase` property, uppercase = `Uppercase`, digit = decimal digit
 *   (`Nd`), special = anything else (punctuation, spaces, symbols, uncased letters such as CJK).
 * - A **repeat** is the same character twice in a row, case-sensitive: "aa" and "11" are repeats,
 *   "aA" and "abab" are not. It is the simplest rule an administrator can apply by eye.
 */
import type { PasswordPolicy, PasswordStrength } from './model.ts';

export const MINIMUM_PASSWORD_LENGTH = 8;
/** Caps the work of hashing one password (a long input is a cheap denial of service on argon2). */
export const MAXIMUM_PASSWORD_LENGTH = 256;

const DAY_MS = 24 * 60 * 60 * 1000;
const LEVELS: readonly PasswordStrength[] = ['good', 'strong', 'excellent'];

/** What a password is made of, as the policy counts it. */
export interface PasswordComposition {
  /** Code points. */
  readonly length: number;
  /** How many of the four kinds occur, 0..4. */
  readonly kinds: number;
  /** Whether some character occurs twice in a row. */
  readonly hasRepeats: boolean;
}

/** Counts what the policy looks at: code points, kinds present, and whether a character repeats. */
export function passwordComposition(pw: string): PasswordComposition {
  const chars = Array.from(pw);
  let lower = false;
  let upper = false;
  let digit = false;
  let special = false;
  let hasRepeats = false;
  chars.forEach((c, i) => {
    if (/\p{Lowercase}/u.test(c)) lower = true;
    else if (/\p{Uppercase}/u.test(c)) upper = true;
    else if (/\p{Nd}/u.test(c)) digit = true;
    else special = true;
    if (i > 0 && chars[i - 1] === c) hasRepeats = true;
  });
  const kinds = [lower, upper, digit, special].filter(Boolean).length;
  return { length: chars.length, kinds, hasRepeats };
}

/**
 * The strength of `pw` by the scale of docs/product-behaviour.md "Password policy", or `'weak'` when it is shorter than 8 characters or has
 * fewer than 3 kinds. Length above the maximum is not a strength matter: {@link checkPassword} refuses it.
 */
export function passwordStrength(pw: string): 'weak' | PasswordStrength {
  const { length, kinds, hasRepeats } = passwordComposition(pw);
  if (length < MINIMUM_PASSWORD_LENGTH || kinds < 3) return 'weak';
  if (kinds === 3) return hasRepeats ? 'good' : 'strong';
  return hasRepeats ? 'strong' : 'excellent';
}

export type PasswordRule =
  | 'minimum_length'
  | 'maximum_length'
  | 'character_kinds'
  | 'repeated_characters';

export type PasswordCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly rule: PasswordRule; readonly message: string };

const KIND_NAMES = 'lowercase, uppercase, digits, special characters';

/**
 * Checks `pw` against the organization's minimum strength. On failure, `rule` names the first rule
 * broken (checked in the order: maximum length, minimum length, kinds, repeats) and `message` says it
 * in an administrator's words, to show next to the password field.
 */
export function checkPassword(
  pw: string,
  policy: Pick<PasswordPolicy, 'minimumStrength'>,
): PasswordCheck {
  const { length, kinds } = passwordComposition(pw);
  if (length > MAXIMUM_PASSWORD_LENGTH) {
    return fail('maximum_length', `Use at most ${MAXIMUM_PASSWORD_LENGTH} characters.`);
  }
  if (length < MINIMUM_PASSWORD_LENGTH) {
    return fail('minimum_length', `Use at least ${MINIMUM_PASSWORD_LENGTH} characters.`);
  }
  if (kinds < 3) return fail('character_kinds', `Use at least 3 of: ${KIND_NAMES}.`);
  const level = LEVELS.indexOf(policy.minimumStrength);
  const strength = passwordStrength(pw);
  if (strength !== 'weak' && LEVELS.indexOf(strength) >= level) return { ok: true };
  if (policy.minimumStrength === 'excellent' && kinds < 4) {
    return fail('character_kinds', `Use all 4 of: ${KIND_NAMES}.`);
  }
  // Kinds suffice here (3 for strong, 4 for excellent), so a repeat is what holds the password back.
  const orMore = policy.minimumStrength === 'strong' ? `, or use all 4 of: ${KIND_NAMES}` : '';
  return fail(
    'repeated_characters',
    `Do not use the same character twice in a row (as in "aa")${orMore}.`,
  );
}

/** One rule of the organization's minimum strength, as a meter beside a new password lists it. */
export interface PasswordRuleStatus {
  readonly rule: 'minimum_length' | 'maximum_length' | 'three_kinds' | 'four_kinds' | 'no_repeats' | 'no_repeats_or_four_kinds';
  readonly met: boolean;
}

/**
 * The rules `minimumStrength` sets, each met or not by `pw`, in the order a person fixes them. All are
 * met exactly when {@link checkPassword} accepts the password: the website's meter shows this list,
 * so what it says as the member types is the server's verdict. The maximum length is listed only
 * once it is passed, since nobody needs telling before.
 */
export function passwordRules(pw: string, minimumStrength: PasswordStrength): PasswordRuleStatus[] {
  const { length, kinds, hasRepeats } = passwordComposition(pw);
  const rules: PasswordRuleStatus[] = [{ rule: 'minimum_length', met: length >= MINIMUM_PASSWORD_LENGTH }];
  if (length > MAXIMUM_PASSWORD_LENGTH) rules.push({ rule: 'maximum_length', met: false });
  if (minimumStrength === 'excellent') {
    rules.push({ rule: 'four_kinds', met: kinds === 4 }, { rule: 'no_repeats', met: !hasRepeats });
  } else {
    rules.push({ rule: 'three_kinds', met: kinds >= 3 });
    if (minimumStrength === 'strong') rules.push({ rule: 'no_repeats_or_four_kinds', met: !hasRepeats || kinds === 4 });
  }
  return rules;
}

function fail(rule: PasswordRule, message: string): PasswordCheck {
  return { ok: false, rule, message };
}

export interface PasswordExpiry {
  readonly expired: boolean;
  /** `null` when the policy sets no maximum age. */
  readonly expiresAt: Date | null;
  /** The member should be told the password expires soon (not once it has expired). */
  readonly noticeDue: boolean;
}

/**
 * When a password changed at `changedAt` expires under `policy`. Days are 24-hour periods from the
 * change, not calendar days, so the answer does not depend on a time zone. A maximum age of 0 (or
 * less) means passwords never expire.
 */
export function passwordExpiry(
  changedAt: Date,
  policy: Pick<PasswordPolicy, 'maximumAgeDays' | 'expiryNoticeDays'>,
  now: Date,
): PasswordExpiry {
  if (!(policy.maximumAgeDays > 0)) return { expired: false, expiresAt: null, noticeDue: false };
  const expiresAt = new Date(changedAt.getTime() + policy.maximumAgeDays * DAY_MS);
  const expired = now.getTime() >= expiresAt.getTime();
  const noticeFrom = expiresAt.getTime() - Math.max(0, policy.expiryNoticeDays) * DAY_MS;
  return { expired, expiresAt, noticeDue: !expired && now.getTime() >= noticeFrom };
}
