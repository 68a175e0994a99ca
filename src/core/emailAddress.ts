/**
 * What Twofold takes for an email address: at most 254 characters (RFC 5321's limit on a path), one
 * `@` with text on each side. The JSON Schema keywords are shared by every field that carries one, in
 * the API and in a method's enrolment, so both refuse the same input; a destination that codes are
 * sent to is held to the stricter `isDeliverableEmail`.
 */
export const EMAIL_MAX = 254;

/** JSON Schema keywords of an email address field (for TypeBox's `Type.String`). */
export const EMAIL_FIELD = { minLength: 3, maxLength: EMAIL_MAX, pattern: '^[^\\s@]+@[^\\s@]+$' } as const;

const EMAIL = new RegExp(EMAIL_FIELD.pattern);

/** The same rule as `EMAIL_FIELD`, for input that comes other than through the API (an import file). */
export const isEmailAddress = (email: string): boolean =>
  email.length >= EMAIL_FIELD.minLength && email.length <= EMAIL_MAX && EMAIL.test(email);

const DELIVERABLE = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,}$/;

/** An address codes can be sent to: a local part of at most 64 characters and a domain with a dot. */
export const isDeliverableEmail = (email: string): boolean => email.length <= EMAIL_MAX && DELIVERABLE.test(email);
