/**
 * One function turns any error into the message a member reads: `errors.<code>` with the problem's
 * extension members as ICU values; an unknown code, or an error that is not a problem, is
 * `errors.unknown`. The server's English `title` is never shown.
 */
import englishErrors from '../locales/en/errors.json';
import { ApiProblem } from '../api/problem.ts';
import type { MessageId } from './messages.ts';

export interface ErrorMessage {
  readonly id: MessageId;
  readonly values: Record<string, string | number>;
}

const KNOWN = new Set(Object.keys(englishErrors));

export function errorMessage(error: unknown): ErrorMessage {
  if (!(error instanceof ApiProblem) || !KNOWN.has(error.code)) return { id: 'errors.unknown', values: {} };
  const { retryAfterSeconds } = error.problem;
  // Every message may name minutes to wait; 0 when the problem says nothing (a lock only an administrator lifts).
  const retryAfterMinutes = typeof retryAfterSeconds === 'number' ? Math.max(1, Math.ceil(retryAfterSeconds / 60)) : 0;
  return { id: `errors.${error.code}` as MessageId, values: { retryAfterMinutes } };
}
