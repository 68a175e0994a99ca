/**
 * Codes sent by SMS or email: 6 digits from a CSPRNG, valid 10 minutes, single use, a new one replacing
 * the old without resetting any failure count (docs/security.md S4–S5), stored only as a keyed hash, and
 * limited per factor (resend wait), per member and per client IP (docs/security.md S18).
 */
import { clientNetwork } from '../core/clientNetwork.ts';
import { TwofoldError } from '../core/errors.ts';
import {
  CODE_TTL_MS, MAX_SENDS_PER_IP, MAX_SENDS_PER_MEMBER, RESEND_WAIT_MS, SEND_WINDOW_MS,
} from '../core/lockout.ts';
import { macCode } from '../crypto/keys.ts';
import { newId, randomDigits, safeEqual } from '../crypto/tokens.ts';
import { verificationCodeMessage } from '../delivery/messages.ts';
import { lockMember, lockName } from '../services/access/rowLocks.ts';
import type { Context } from '../services/context.ts';
import type { Db } from '../storage/database.ts';
import { clearRateLimit, hitRateLimit } from '../storage/rateLimit.ts';
import type { FactorRow } from '../storage/schema.ts';

export interface SendCodeRequest {
  /** The channel the method sends on (its own id). */
  readonly channel: 'sms' | 'email';
  readonly factor: Pick<FactorRow, 'id' | 'destination' | 'member_id'>;
  /** The transaction (or session scope) the code is issued for; it completes nothing else (docs/security.md S6). */
  readonly scope: string;
  readonly organizationName: string;
  readonly purpose: 'sign_in' | 'password_change' | 'setup';
  readonly ip: string;
}

export async function sendCode(ctx: Context, request: SendCodeRequest): Promise<{ expiresAt: Date }> {
  const { factor } = request;
  const destination = factor.destination;
  // Only the methods that send codes call this (their challenge); a factor with nowhere to send is refused.
  if (!destination) {
    throw new TwofoldError('method_unavailable', 'This factor does not receive codes.');
  }
  const now = ctx.clock();
  const code = randomDigits(6);
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
  const network = clientNetwork(request.ip);
  // The limits are checked in the database transaction that stores the code, holding the member's row
  // and the network's lock, so parallel sends are counted one after another. A send refused by one
  // limit rolls back the resend wait it started and, never stored, counts against no limit.
  // The member's language, read with their row held: the code is written in it.
  const language = await ctx.db.transaction().execute(async (trx) => {
    await lockMember(trx, ctx.store.engine, factor.member_id);
    // The factor was read before: deleted since (with its member, or paired again), no code is stored for it.
    const present = await trx.selectFrom('factors').select('id').where('id', '=', factor.id).executeTakeFirst();
    if (!present) throw new TwofoldError('not_found', 'No such factor.');
    await lockName(trx, ctx.store.engine, `send-network:${network}`);
    await limit(trx, resendWaitKey(factor.id), 1, RESEND_WAIT_MS, now, 'Wait 30 seconds before asking for another code.');
    await refuseOverSendLimit(trx, 'member_id', factor.member_id, MAX_SENDS_PER_MEMBER, now, 'Too many codes were sent. Try again later.');
    await refuseOverSendLimit(trx, 'client_network', network, MAX_SENDS_PER_IP, now, 'Too many codes were sent from this network. Try again later.');
    await trx.updateTable('sent_codes').set({ used_at: now.getTime() })
      .where('factor_id', '=', factor.id).where('used_at', 'is', null).execute();
    await trx.insertInto('sent_codes').values({
      id: newId(),
      factor_id: factor.id,
      transaction_id: request.scope,
      code_hash: macCode(ctx.codeMacKey, request.scope, factor.id, code),
      created_at: now.getTime(),
      expires_at: expiresAt.getTime(),
      used_at: null,
      member_id: factor.member_id,
      client_network: network,
    }).execute();
    const member = await trx.selectFrom('members').select('language').where('id', '=', factor.member_id).executeTakeFirst();
    return member?.language ?? null;
  });

  const { channel } = request;
  const message = verificationCodeMessage({
    channel, to: destination, organizationName: request.organizationName, code,
    purpose: request.purpose, ttlMinutes: CODE_TTL_MS / 60_000, language,
  });
  try {
    await ctx.senders[channel].send(message);
  } catch (error) {
    ctx.log.error({ channel, factorId: factor.id, err: error instanceof Error ? error.message : String(error) }, 'sending a code failed');
    throw new TwofoldError('delivery_failed', `The ${channel === 'sms' ? 'text message' : 'email'} could not be sent. Try again or use another method.`);
  }
  return { expiresAt };
}

/** The id of the current code of `factor` in `scope` if `code` matches it (compared in constant time). */
export async function findSentCode(ctx: Context, db: Db, factorId: string, scope: string, code: string, now: Date): Promise<string | null> {
  const current = await db.selectFrom('sent_codes').select(['id', 'code_hash'])
    .where('factor_id', '=', factorId).where('transaction_id', '=', scope)
    .where('used_at', 'is', null).where('expires_at', '>', now.getTime())
    .orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  if (!current || !safeEqual(current.code_hash, macCode(ctx.codeMacKey, scope, factorId, code))) return null;
  return current.id;
}

/**
 * Marks a sent code used, once: false when a parallel request used it first. A used code also ends
 * the factor's resend wait: the wait keeps a member from asking again while a code is on its way, and
 * this one arrived. Without that, a member who confirms a new text message factor and signs in at once
 * would be refused the code of that sign-in.
 */
export async function consumeSentCode(db: Db, factorId: string, codeId: string, now: Date): Promise<boolean> {
  const result = await db.updateTable('sent_codes').set({ used_at: now.getTime() })
    .where('id', '=', codeId).where('factor_id', '=', factorId).where('used_at', 'is', null).where('expires_at', '>', now.getTime()).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await clearRateLimit(db, resendWaitKey(factorId));
  return true;
}

/** The counter of the resend wait of one factor. */
const resendWaitKey = (factorId: string): string => `resend:${factorId}`;

/**
 * Refuses a send when `max` codes were already sent for the member (or from the client network) in
 * the last {@link SEND_WINDOW_MS}: a sliding window over the codes themselves, so no burst across a
 * window's edge gets more through. The answer says when the oldest of them leaves the window.
 */
async function refuseOverSendLimit(db: Db, by: 'member_id' | 'client_network', value: string, max: number, now: Date, message: string): Promise<void> {
  const oldestCounted = await db.selectFrom('sent_codes').select('created_at')
    .where(by, '=', value).where('created_at', '>', now.getTime() - SEND_WINDOW_MS)
    .orderBy('created_at', 'desc').limit(1).offset(max - 1).executeTakeFirst();
  if (oldestCounted) {
    throw new TwofoldError('rate_limited', message, { retryAfterSeconds: Math.ceil((oldestCounted.created_at + SEND_WINDOW_MS - now.getTime()) / 1000) });
  }
}

async function limit(db: Db, key: string, max: number, windowMs: number, now: Date, message: string): Promise<void> {
  const result = await hitRateLimit(db, key, max, windowMs, now);
  if (!result.allowed) throw new TwofoldError('rate_limited', message, { retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000) });
}
