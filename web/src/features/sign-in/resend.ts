/**
 * When a code was last sent to each factor of this tab's transaction, so that a reload neither sends
 * another code at once nor forgets the resend countdown. The server enforces the same 30 seconds.
 */
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
