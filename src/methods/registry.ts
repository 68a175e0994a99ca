/**
 * The second-factor methods by id. Its type requires an implementation of every method the catalogue
 * marks built, and the API's
 * enrolment fields are gathered here from the methods rather than listed in the routes.
 */
import type { TProperties } from '@sinclair/typebox';
import { TwofoldError } from '../core/errors.ts';
import { BUILT_METHOD_IDS, METHOD_IDS, isBuiltMethod, type BuiltMethodId, type MethodId } from '../core/methodCatalogue.ts';
import type { Context } from '../services/context.ts';
import type { Challenge, ChallengeRequest, SecondFactorMethod } from './method.ts';
import { methodDisplayName } from './names.ts';
import { emailMethod, smsMethod } from './sentCodeMethods.ts';
import { totpMethod } from './totpMethod.ts';
import { pushMethod } from './pushMethod.ts';

export { METHOD_DISPLAY_NAMES, methodDisplayName } from './names.ts';

const METHODS: Readonly<Record<BuiltMethodId, SecondFactorMethod>> = {
  push: pushMethod,
  totp: totpMethod,
  sms: smsMethod,
  email: emailMethod,
};

export function methodFor(id: string): SecondFactorMethod {
  if (!isBuiltMethod(id)) {
    const known = (METHOD_IDS as readonly string[]).includes(id);
    throw new TwofoldError('method_unavailable', known
      ? `The ${methodDisplayName(id as MethodId)} method is not available yet.`
      : 'This method is not available.');
  }
  return METHODS[id];
}

/**
 * Every field any method reads at enrolment, for the API's enrolment bodies (each optional: the
 * chosen method checks that its own are there).
 */
export function enrolmentFields(): TProperties {
  return Object.assign({}, ...BUILT_METHOD_IDS.map((id) => METHODS[id].enrolmentFields)) as TProperties;
}

/** Enrolment details out of a request body: the fields of every method, the chosen one reads its own. */
export function enrolmentDetails(body: object): Record<string, string | undefined> {
  const fields = Object.keys(enrolmentFields());
  const values = body as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, typeof values[f] === 'string' ? values[f] : undefined]));
}

/**
 * A challenge the member asked for by hand ("Send a code"): the factor's method starts it, and a
 * method whose challenge sends nothing (an authenticator app) has nothing to send.
 */
export async function requestCode(ctx: Context, request: ChallengeRequest): Promise<{ expiresAt: Date }> {
  const challenge = await startChallenge(ctx, request);
  if (challenge.kind !== 'code_sent') throw new TwofoldError('method_unavailable', 'This factor does not receive codes.');
  return { expiresAt: challenge.expiresAt };
}

/** A challenge of the factor's own kind: a code sent, a push request, a pairing link, or nothing. */
export async function startChallenge(ctx: Context, request: ChallengeRequest): Promise<Challenge> {
  return methodFor(request.factor.type).challenge(ctx, request);
}

/**
 * What a set-up shows of a new factor's first challenge: when its code expires, or the pairing link
 * (with its QR code) a push factor's device pairs with.
 */
export function challengeDisplay(challenge: Challenge): { codeExpiresAt?: string; pairingLink?: string; qrCodeSvg?: string; pairingExpiresAt?: string } {
  if (challenge.kind === 'code_sent') return { codeExpiresAt: challenge.expiresAt.toISOString() };
  if (challenge.kind === 'pairing') {
    return { pairingLink: challenge.pairingLink, qrCodeSvg: challenge.qrCodeSvg, pairingExpiresAt: challenge.expiresAt.toISOString() };
  }
  return {};
}
