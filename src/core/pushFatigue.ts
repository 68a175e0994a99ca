/**
 * Limits against push fatigue, as pure rules over a member's recent push answers: at most one pending
 * request per member; three denied or expired requests within ten minutes suspend push for fifteen
 * minutes (other methods still work); "Deny and report" locks push until an administrator clears it.
 * Pure: the caller reads the events and the clock.
 */

export const PUSH_REQUEST_TTL_MS = 60_000;
export const FATIGUE_WINDOW_MS = 10 * 60_000;
export const FATIGUE_LIMIT = 3;
export const FATIGUE_SUSPENSION_MS = 15 * 60_000;

/** How one push request ended. Approvals and pending requests do not count against the member. */
export type PushOutcome = 'approved' | 'denied' | 'expired' | 'wrong_number' | 'reported';

export interface PushOutcomeEvent {
  readonly outcome: PushOutcome;
  /** When it ended (for an expired request: its expiry). */
  readonly at: number;
}

export type PushAvailability =
  | { readonly state: 'available' }
  | { readonly state: 'suspended'; readonly until: number }
  | { readonly state: 'locked' };

/** Outcomes that count towards the suspension: a member who did not approve. */
const COUNTS: ReadonlySet<PushOutcome> = new Set(['denied', 'expired', 'wrong_number']);

/**
 * Whether the member may be sent a push now. `lockedByReport` is the administrator-cleared lock a
 * "Deny and report" sets. The window slides: any {@link FATIGUE_WINDOW_MS} holding
 * {@link FATIGUE_LIMIT} counted outcomes suspends push for {@link FATIGUE_SUSPENSION_MS} from the last
 * of them.
 */
export function pushAvailability(events: readonly PushOutcomeEvent[], lockedByReport: boolean, now: number): PushAvailability {
  if (lockedByReport) return { state: 'locked' };
  const counted = events.filter((e) => COUNTS.has(e.outcome) && e.at <= now).map((e) => e.at).sort((a, b) => a - b);
  let until = 0;
  for (let last = FATIGUE_LIMIT - 1; last < counted.length; last += 1) {
    const end = counted[last] as number;
    const start = counted[last - (FATIGUE_LIMIT - 1)] as number;
    if (end - start <= FATIGUE_WINDOW_MS) until = Math.max(until, end + FATIGUE_SUSPENSION_MS);
  }
  return until > now ? { state: 'suspended', until } : { state: 'available' };
}

/**
 * The number shown on the sign-in screen and typed into the authenticator: `digits` digits (two by
 * default, six where the organization requires it), from `randomBelow` (a CSPRNG in production).
 */
export function matchingNumber(digits: 2 | 6, randomBelow: (max: number) => number): string {
  return String(randomBelow(10 ** digits)).padStart(digits, '0');
}
