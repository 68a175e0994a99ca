/** Signing in and changing the password, each walked to its end through two-step verification. */
import type { ClientInfo, Transaction, TwofoldClient } from './client.ts';
import { unwrap } from './problem.ts';
import { walkTransaction, type SignInResult, type WalkOptions } from './walk.ts';

/** What a Technician Console says it is at every sign-in: the server offers methods by its version. */
export const technicianConsole = (version: string): ClientInfo => ({ kind: 'technician-console', version });

export interface SignInOptions extends WalkOptions {
  readonly email: string;
  readonly password: string;
  /** The client's kind and version, sent with the sign-in (see {@link technicianConsole}). */
  readonly client: ClientInfo;
}

/**
 * Signs in: the password, then whatever the transaction needs (verification or set-up), asked through
 * `prompts`. Resolves with the session; rejects with a `TwofoldProblem` carrying the server's `code`
 * (`invalid_credentials`, `password_locked`, `console_email_only`, `transaction_failed`, …).
 */
export async function signIn(api: TwofoldClient, options: SignInOptions): Promise<SignInResult> {
  const transaction = await unwrap(api.POST('/api/v1/sign-in', { body: { email: options.email, password: options.password, client: options.client } }));
  return walkTransaction(api, transaction, options);
}

export interface ChangePasswordOptions extends WalkOptions {
  readonly currentPassword: string;
  readonly newPassword: string;
  readonly endOtherSessions?: boolean;
}

/**
 * Changes the signed-in member's password (`api` carries the session): at once, or once verified with
 * a factor when two-step verification applies. Resolves with the completed transaction, or null when
 * none was needed.
 */
export async function changePassword(api: TwofoldClient, options: ChangePasswordOptions): Promise<Transaction | null> {
  const answer = await unwrap(api.POST('/api/v1/me/password', {
    body: { currentPassword: options.currentPassword, newPassword: options.newPassword, ...(options.endOtherSessions ? { endOtherSessions: true } : {}) },
  }));
  if (!answer) return null;
  return (await walkTransaction(api, answer, options)).transaction;
}
