/** SMS and email: the same rules for sent codes, different channels (docs/security.md S16–S17: the weaker methods). */
import { Type } from '@sinclair/typebox';
import { compactCode } from '../core/codeEntry.ts';
import { EMAIL_FIELD, isDeliverableEmail } from '../core/emailAddress.ts';
import { TwofoldError } from '../core/errors.ts';
import type { Challenge, SecondFactorMethod } from './method.ts';
import { consumeSentCode, findSentCode, sendCode } from './sentCodes.ts';

/** E.164: a plus sign and up to 15 digits, the form SMS gateways accept. */
const E164 = /^\+[1-9]\d{6,14}$/;

const maskPhone = (phone: string): string => `Text message to ···${phone.slice(-4)}`;
const maskEmail = (email: string): string => {
  const [local = '', domain = ''] = email.split('@');
  return `Email to ${local.slice(0, 2)}···@${domain}`;
};

/** The parts SMS and email share: a code sent per challenge, typed back, single use. */
const sentCodeParts = (channel: 'sms' | 'email') => ({
  async challenge(ctx, request): Promise<Challenge> {
    return { kind: 'code_sent', expiresAt: (await sendCode(ctx, { ...request, channel })).expiresAt };
  },
  readResponse: (input) => (input.code === undefined ? null : compactCode(input.code)),
  check: (ctx, db, factor, code, scope, now) => findSentCode(ctx, db, factor.id, scope, code, now),
  consume: (db, factor, proof, now) => consumeSentCode(db, factor.id, String(proof), now),
}) satisfies Pick<SecondFactorMethod<string>, 'challenge' | 'readResponse' | 'check' | 'consume'>;

export const smsMethod: SecondFactorMethod<string> = {
  id: 'sms',
  enrolmentFields: { phoneNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })) },
  async enrol(_ctx, request) {
    const phone = request.details['phoneNumber']?.replace(/[\s().-]/g, '') ?? '';
    if (!E164.test(phone)) {
      throw new TwofoldError('validation_failed', 'Enter the phone number in international format, e.g. +14155550123.', {
        errors: [{ field: 'body/phoneNumber', message: 'must be an E.164 phone number' }],
      });
    }
    return { label: maskPhone(phone), secret: null, destination: phone, display: {} };
  },
  ...sentCodeParts('sms'),
};

export const emailMethod: SecondFactorMethod<string> = {
  id: 'email',
  enrolmentFields: { email: Type.Optional(Type.String(EMAIL_FIELD)) },
  async enrol(_ctx, request) {
    const email = (request.details['email'] ?? request.memberEmail).trim().toLowerCase();
    if (!isDeliverableEmail(email)) {
      throw new TwofoldError('validation_failed', 'Enter a valid email address.', {
        errors: [{ field: 'body/email', message: 'must be an email address' }],
      });
    }
    return { label: maskEmail(email), secret: null, destination: email, display: {} };
  },
  ...sentCodeParts('email'),
};
