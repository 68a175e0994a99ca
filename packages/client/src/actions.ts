/**
 * One function per action a transaction takes on the server, each resolving with the server's answer
 * (mostly the transaction as it now stands) or rejecting with a {@link TwofoldProblem} carrying its
 * `code`. The walk's loop and a page-per-step user interface call these same functions, so a code is
 * sent, checked and normalized the same way wherever the member signs in. Push's own actions (start,
 * wait, verify with the approval) are in push.ts.
 */
import type { Challenge, MethodId, NewFactor, Transaction, TwofoldClient } from './client.ts';
import { unwrap } from './problem.ts';
import { normalizeCode } from './steps.ts';

/** The transaction an action applies to: its id is enough. */
export type TransactionRef = Pick<Transaction, 'id'>;

const at = (transaction: TransactionRef) => ({ params: { path: { id: transaction.id } } });

/** The transaction as it stands (a page resuming after a reload). */
export function getTransaction(api: TwofoldClient, id: string): Promise<Transaction> {
  return unwrap(api.GET('/api/v1/transactions/{id}', { params: { path: { id } } }));
}

/**
 * Sends a new code to a text message or email factor, or a new request to an authenticator app
 * notification factor (`pushRequest` in the answer; see `startPush`). Within 30 seconds of the last
 * code the server refuses with `rate_limited` and `retryAfterSeconds`.
 */
export function sendChallenge(api: TwofoldClient, transaction: TransactionRef, factorId: string, signal?: AbortSignal): Promise<Challenge> {
  return unwrap(api.POST('/api/v1/transactions/{id}/challenges', { ...at(transaction), body: { factorId }, ...(signal ? { signal } : {}) }));
}

/** Checks a code from `factorId` (verification, or a set-up's proof): `invalid_code` with `attemptsRemaining` when wrong. */
export function checkCode(api: TwofoldClient, transaction: TransactionRef, factorId: string, code: string): Promise<Transaction> {
  return unwrap(api.POST('/api/v1/transactions/{id}/verify', { ...at(transaction), body: { factorId, code: normalizeCode(code) } }));
}

/** Uses one of the member's recovery codes in place of a factor (it is spent). */
export function checkRecoveryCode(api: TwofoldClient, transaction: TransactionRef, code: string): Promise<Transaction> {
  return unwrap(api.POST('/api/v1/transactions/{id}/recovery', { ...at(transaction), body: { code: normalizeCode(code) } }));
}

/** What a new factor is bound with: the phone number of text messages, an address for email. */
export interface FactorBinding {
  readonly type: MethodId;
  readonly phoneNumber?: string;
  readonly email?: string;
}

/**
 * Binds a new factor in a set-up: an authenticator app answers its `otpauthUri` (see
 * {@link totpSecretOf}), a text message or email is sent its first code (`codeExpiresAt`), push
 * answers its pairing link. A refused phone number is `validation_failed`.
 */
export function bindFactor(api: TwofoldClient, transaction: TransactionRef, binding: FactorBinding): Promise<NewFactor> {
  const body = {
    type: binding.type,
    ...(binding.phoneNumber === undefined ? {} : { phoneNumber: binding.phoneNumber }),
    ...(binding.email === undefined ? {} : { email: binding.email }),
  };
  return unwrap(api.POST('/api/v1/transactions/{id}/factors', { ...at(transaction), body }));
}

/** The key (base32) of an authenticator app being set up, from its `otpauth://` URI, for apps that cannot scan; null when absent. */
export function totpSecretOf(otpauthUri: string): string | null {
  try {
    return new URL(otpauthUri).searchParams.get('secret');
  } catch {
    return null;
  }
}

/** Confirms a factor being set up with a code from it. */
export function confirmFactor(api: TwofoldClient, transaction: TransactionRef, factorId: string, code: string): Promise<Transaction> {
  return unwrap(api.POST('/api/v1/transactions/{id}/factors/{factorId}/confirm', {
    params: { path: { id: transaction.id, factorId } }, body: { code: normalizeCode(code) },
  }));
}

/**
 * Activate: turns two-step verification on with the confirmed factors and completes the transaction,
 * answering the new recovery codes once. `setupCode` is the administrator's one-time code when the
 * set-up says `setupCodeRequired` (a wrong one is `invalid_code`).
 */
export function activate(api: TwofoldClient, transaction: TransactionRef, setupCode?: string): Promise<Transaction> {
  return unwrap(api.POST('/api/v1/transactions/{id}/activate', {
    ...at(transaction), body: setupCode === undefined ? null : { setupCode: setupCode.trim() },
  }));
}
