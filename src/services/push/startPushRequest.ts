/**
 * Starts a push request for a paired push factor within its scope (a sign-in or password-change
 * transaction, or the set-up confirming the pairing): a number to match, bound to who, which
 * organization, which client, which address and when; sixty seconds to answer (docs/push-protocol.md).
 *
 * Against push fatigue, under the member's lock: requests past their expiry are written as expired,
 * then a report's lock or a suspension refuses, then a pending request (any transaction) refuses, so a
 * burst of sign-ins with the right password sends one push at a time; the one-pending unique index
 * holds even where locks do not order writers.
 */
import { randomInt } from 'node:crypto';
import { TwofoldError } from '../../core/errors.ts';
import { secondsUntil } from '../../core/lockout.ts';
import type { ClientInfo } from '../../core/model.ts';
import { PUSH_REQUEST_TTL_MS, matchingNumber } from '../../core/pushFatigue.ts';
import { newId } from '../../crypto/tokens.ts';
import { isUniqueViolation } from '../../storage/uniqueViolation.ts';
import { lockMember } from '../access/rowLocks.ts';
import type { Context } from '../context.ts';
import { notifySuspensionOnce, pushAvailabilityOf, unavailableError } from './pushAvailability.ts';
import { pushBusOf } from './pushBus.ts';

export type PushPurpose = 'sign_in' | 'password_change' | 'pairing';

export interface StartPushRequest {
  readonly factorId: string;
  readonly memberId: string;
  readonly organizationId: string;
  readonly scope: string;
  readonly purpose: PushPurpose;
  readonly client: ClientInfo;
  readonly ip: string | null;
}

export interface StartedPush {
  readonly requestId: string;
  readonly number: string;
  readonly expiresAt: Date;
}

export async function startPushRequest(ctx: Context, request: StartPushRequest): Promise<StartedPush> {
  const now = ctx.clock();
  const nowMs = now.getTime();
  const device = await ctx.db.selectFrom('push_devices').select('factor_id').where('factor_id', '=', request.factorId).executeTakeFirst();
  if (!device) throw new TwofoldError('method_unavailable', 'This authenticator app is not paired yet.');
  const organization = await ctx.db.selectFrom('organizations').select('push_number_digits')
    .where('id', '=', request.organizationId).executeTakeFirstOrThrow();
  const digits = organization.push_number_digits === 6 ? 6 : 2;
  const number = matchingNumber(digits, (max) => randomInt(max));
  const requestId = newId();
  const expiresAt = nowMs + PUSH_REQUEST_TTL_MS;

  let outcome: TwofoldError | null;
  try {
    outcome = await ctx.db.transaction().execute(async (trx) => {
      await lockMember(trx, ctx.store.engine, request.memberId);
      // Written as expired at their expiry, so they count towards fatigue and free the one-pending slot.
      await trx.updateTable('push_requests').set((eb) => ({ state: 'expired', ended_at: eb.ref('expires_at') }))
        .where('member_id', '=', request.memberId).where('state', '=', 'pending').where('expires_at', '<=', nowMs).execute();
      const refused = unavailableError(await pushAvailabilityOf(trx, request.memberId, now), now);
      if (refused) return refused;
      const pending = await trx.selectFrom('push_requests').select('expires_at')
        .where('member_id', '=', request.memberId).where('state', '=', 'pending').executeTakeFirst();
      if (pending) return pendingError(new Date(pending.expires_at), now);
      await trx.insertInto('push_requests').values({
        id: requestId, factor_id: request.factorId, member_id: request.memberId, organization_id: request.organizationId,
        scope: request.scope, purpose: request.purpose, number_sealed: ctx.secretBox.seal(Buffer.from(number, 'utf8'), requestId), number_digits: digits,
        client_kind: request.client.kind, client_version: request.client.version ?? null, ip: request.ip,
        state: 'pending', created_at: nowMs, expires_at: expiresAt, ended_at: null, consumed_at: null,
      }).execute();
      return null;
    });
  } catch (error) {
    // Another node inserted the member's pending request between our read and our insert.
    if (isUniqueViolation(error)) throw pendingError(new Date(nowMs + PUSH_REQUEST_TTL_MS), now);
    throw error;
  }
  if (outcome) {
    // Requests that just expired may be what suspended push: the member hears of it once.
    if (outcome.code === 'push_suspended') await notifySuspensionOnce(ctx, request.memberId, now);
    throw outcome;
  }
  await pushBusOf(ctx.store).publish({ requestId, factorId: request.factorId, memberId: request.memberId, scope: request.scope });
  return { requestId, number, expiresAt: new Date(expiresAt) };
}

const pendingError = (until: Date, now: Date): TwofoldError => new TwofoldError('push_pending',
  'A request is already waiting on the authenticator app: answer it, or wait for it to expire.', { retryAfterSeconds: secondsUntil(until, now) });
