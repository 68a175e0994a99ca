/**
 * When a code was last sent to each factor of this tab's transaction, so that a reload neither sends
 * another code at once nor forgets the resend countdown. The server enforces the same 30 seconds.
 */
import { ApiProblem } from '../../api/problem.ts';

export const RESEND_AFTER_MS = 30_000;
const KEY = 'twofold.codesSent';

type Sent = Record<string, number>;

function read(): Sent {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Sent;
  } catch {
    return {};
  }
}

export function lastSent(transactionId: string, factorId: string): number | null {
  return read()[`${transactionId}:${factorId}`] ?? null;
}

export function markSent(transactionId: string, factorId: string, at: number): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ ...read(), [`${transactionId}:${factorId}`]: at }));
  } catch {
    // Only the countdown after a reload is lost.
  }
}

/** The seconds left of the resend wait, when a send was refused for it alone. */
export function resendWaitSeconds(error: unknown): number | null {
  if (!(error instanceof ApiProblem) || error.code !== 'rate_limited') return null;
  const seconds = error.problem.retryAfterSeconds;
  return typeof seconds === 'number' && seconds <= RESEND_AFTER_MS / 1000 ? seconds : null;
}
