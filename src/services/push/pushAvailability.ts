/**
 * A member's push availability read from the database and handed to the pure fatigue rule
 * (`core/pushFatigue.ts`), and the one notice a suspension sends.
 */
import { TwofoldError } from '../../core/errors.ts';
import { FATIGUE_SUSPENSION_MS, FATIGUE_WINDOW_MS, pushAvailability, type PushAvailability, type PushOutcome } from '../../core/pushFatigue.ts';
import { secondsUntil } from '../../core/lockout.ts';
import { pushSuspendedNotice } from '../../delivery/messages.ts';
import type { Db } from '../../storage/database.ts';
import { hitRateLimit } from '../../storage/rateLimit.ts';
import type { PushRequestRow } from '../../storage/schema.ts';
import type { Context } from '../context.ts';
import { notifyMember } from '../notify.ts';

/** A request's state as of `now`: a pending one past its expiry has expired, whether or not it was written. */
export function effectiveState(row: Pick<PushRequestRow, 'state' | 'expires_at'>, now: number): string {
  return row.state === 'pending' && row.expires_at <= now ? 'expired' : row.state;
}

/** Whether push may be sent to `memberId` now: locked by a report, suspended by the fatigue rule, or available. */
export async function pushAvailabilityOf(db: Db, memberId: string, now: Date): Promise<PushAvailability> {
  const nowMs = now.getTime();
  const locked = await db.selectFrom('push_locks').select('member_id').where('member_id', '=', memberId).executeTakeFirst();
  // Every outcome that can still weigh: within a window before the longest suspension that can last now.
  const since = nowMs - FATIGUE_WINDOW_MS - FATIGUE_SUSPENSION_MS - 60_000;
  const rows = await db.selectFrom('push_requests').select(['state', 'expires_at', 'ended_at'])
    .where('member_id', '=', memberId).where('created_at', '>=', since).execute();
  const events = rows.map((r) => {
    const state = effectiveState(r, nowMs);
    return { outcome: state as PushOutcome, at: state === 'expired' ? r.ended_at ?? r.expires_at : r.ended_at ?? nowMs };
  }).filter((e) => e.outcome !== ('pending' as string));
  return pushAvailability(events, locked !== undefined, nowMs);
}

/** The error a start of push answers with while push is not available. */
export function unavailableError(availability: PushAvailability, now: Date): TwofoldError | null {
  if (availability.state === 'locked') {
    return new TwofoldError('push_locked', 'Authenticator app notifications are locked after a reported request. Ask an administrator, or use another method.');
  }
  if (availability.state === 'suspended') {
    return new TwofoldError('push_suspended', 'Too many requests were denied or not answered. Use another method, or try again later.', {
      retryAfterSeconds: secondsUntil(new Date(availability.until), now),
    });
  }
  return null;
}

/**
 * Tells the member, once per suspension, that push is suspended. The suspension's end identifies it,
 * and a one-attempt limit on that key makes parallel callers on any node send it once.
 */
export async function notifySuspensionOnce(ctx: Context, memberId: string, now: Date): Promise<void> {
  const availability = await pushAvailabilityOf(ctx.db, memberId, now);
  if (availability.state !== 'suspended') return;
  const first = await hitRateLimit(ctx.db, `push-suspended:${memberId}:${availability.until}`, 1, 24 * 3_600_000, now);
  if (!first.allowed) return;
  const member = await ctx.db.selectFrom('members').innerJoin('organizations', 'organizations.id', 'members.organization_id')
    .select(['members.email', 'organizations.name']).where('members.id', '=', memberId).executeTakeFirst();
  if (!member) return;
  await notifyMember(ctx, pushSuspendedNotice({ to: member.email, organizationName: member.name, at: now, until: new Date(availability.until) }));
}
