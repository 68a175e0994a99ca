/**
 * Where "Confirm with one of your methods" stands on the account page, kept in the tab's
 * sessionStorage so a reload resumes it as the sign-in and set-up pages do: what the member asked
 * for (remove a method, new recovery codes) and the method they chose to confirm with. A code already
 * sent stays valid on the server (it is bound to the session), and a push request still pending is
 * followed again by the push step itself. Nothing secret is kept: ids only, for this member only.
 */
export type Action = { readonly kind: 'remove'; readonly factorId: string } | { readonly kind: 'recovery' };

export interface ReauthProgress {
  readonly memberId: string;
  readonly action: Action;
  /** The method chosen to confirm with; null until the member picks one (the first is then shown). */
  readonly factorId: string | null;
}

const KEY = 'twofold.reauthentication';

function isAction(value: unknown): value is Action {
  if (typeof value !== 'object' || value === null) return false;
  const action = value as Record<string, unknown>;
  return action.kind === 'recovery' || (action.kind === 'remove' && typeof action.factorId === 'string');
}

/** The progress of `memberId` in this tab, or null (none, another member's, or unreadable). */
export function readReauthProgress(memberId: string): ReauthProgress | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<ReauthProgress> | null;
    if (!stored || stored.memberId !== memberId || !isAction(stored.action)) return null;
    return { memberId, action: stored.action, factorId: typeof stored.factorId === 'string' ? stored.factorId : null };
  } catch {
    return null;
  }
}

export function saveReauthProgress(progress: ReauthProgress): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(progress));
  } catch {
    // Storage switched off: a reload then starts over, as before.
  }
}

export function clearReauthProgress(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing was kept.
  }
}
