/**
 * An authenticator's answer to a push request (docs/push-protocol.md "Answering"). The signature is
 * the credential: it must verify with the key of the request's own device, over the request id, the
 * number typed and the decision. The checks run in the documented order (still pending, signature,
 * expiry, number), and one conditional update on the pending request decides, so an answer counts
 * once even when replayed or sent to two nodes at once.
 */
import { TwofoldError } from '../../core/errors.ts';
import { safeEqual } from '../../crypto/tokens.ts';
import { importDeviceKey, verifyDecision, type PushDecision } from '../../methods/pushSignature.ts';
import type { Db } from '../../storage/database.ts';
import type { PushRequestRow } from '../../storage/schema.ts';
import { lockMember } from '../access/rowLocks.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Context } from '../context.ts';
import { countTransactionFailure } from '../signIn/attempts.ts';
import { effectiveState, notifySuspensionOnce } from './pushAvailability.ts';
import { pushBusOf } from './pushBus.ts';

export interface DecisionRequest {
  readonly requestId: string;
  readonly decision: PushDecision;
  readonly number: string;
  readonly signature: string;
}

const OUTCOME: Record<PushDecision, string> = { approve: 'approved', deny: 'denied', deny_and_report: 'reported' };

const closed = (state: string) => new TwofoldError('push_request_closed', 'This request was already answered or has ended.', { state });

export async function decide(ctx: Context, request: DecisionRequest): Promise<{ id: string; state: string }> {
  const now = ctx.clock();
  const row = await ctx.db.selectFrom('push_requests').selectAll().where('id', '=', request.requestId).executeTakeFirst();
  if (!row) throw new TwofoldError('not_found', 'No such push request.');
  if (row.state !== 'pending') throw closed(row.state);
  const device = await ctx.db.selectFrom('push_devices').select('public_key').where('factor_id', '=', row.factor_id).executeTakeFirst();
  const signed = device !== undefined
    && await verifyDecision(await importDeviceKey(device.public_key), request.signature, row.id, request.number, request.decision);
  if (!signed) throw new TwofoldError('push_signature_invalid', 'The signature is not this device\'s.');
  if (effectiveState(row, now.getTime()) === 'expired') throw closed('expired');

  // Number matching applies to approvals; a denial needs no number (the member may not have one).
  const wrongNumber = request.decision === 'approve' && !safeEqual(request.number, ctx.secretBox.open(row.number_sealed, row.id).toString('utf8'));
  const state = wrongNumber ? 'wrong_number' : OUTCOME[request.decision];
  await ctx.db.transaction().execute(async (trx) => {
    await lockMember(trx, ctx.store.engine, row.member_id);
    const ended = await trx.updateTable('push_requests').set({ state, ended_at: now.getTime() })
      .where('id', '=', row.id).where('state', '=', 'pending').where('expires_at', '>', now.getTime()).executeTakeFirst();
    if (Number(ended.numUpdatedRows) !== 1) {
      const current = await trx.selectFrom('push_requests').select(['state', 'expires_at']).where('id', '=', row.id).executeTakeFirst();
      throw closed(current ? effectiveState(current, now.getTime()) : 'expired');
    }
    if (wrongNumber) await countAgainstTransaction(trx, row, now);
    if (state === 'reported') await lockPush(trx, row, now);
  });
  await pushBusOf(ctx.store).publish({ requestId: row.id, factorId: row.factor_id, memberId: row.member_id, scope: row.scope });
  if (state !== 'approved') await notifySuspensionOnce(ctx, row.member_id, now);
  if (wrongNumber) throw new TwofoldError('push_number_mismatch', 'That is not the number on the sign-in screen. The request has ended.');
  return { id: row.id, state };
}

/** A wrong number is a wrong code of the transaction the request was for (its five-failure limit). */
async function countAgainstTransaction(trx: Db, row: PushRequestRow, now: Date): Promise<void> {
  const transaction = await trx.selectFrom('transactions').selectAll().where('id', '=', row.scope).executeTakeFirst();
  if (!transaction || (transaction.state !== 'verify' && transaction.state !== 'setup')) return;
  try {
    await countTransactionFailure(trx, transaction, transaction.state, now, { id: row.factor_id, type: 'push' });
  } catch (error) {
    // The transaction closed meanwhile: nothing left to count against; the request still ended.
    if (!(error instanceof TwofoldError)) throw error;
  }
}

/** "Deny and report": push stays locked until an administrator clears it, and administrators see the alert. */
async function lockPush(trx: Db, row: PushRequestRow, now: Date): Promise<void> {
  const existing = await trx.selectFrom('push_locks').select('member_id').where('member_id', '=', row.member_id).executeTakeFirst();
  if (!existing) {
    await trx.insertInto('push_locks').values({ member_id: row.member_id, organization_id: row.organization_id, request_id: row.id, locked_at: now.getTime() }).execute();
  }
  const member = await trx.selectFrom('members').select(['id', 'name', 'role']).where('id', '=', row.member_id).executeTakeFirstOrThrow();
  await audit(trx, now, {
    organizationId: row.organization_id, actor: { id: null, name: 'Two-step verification', ip: row.ip },
    entityType: memberEntityType(member.role), entityId: member.id, entityName: member.name, changeType: 'PushReported',
    details: { factorId: row.factor_id, requestId: row.id, purpose: row.purpose, client: row.client_kind, clientVersion: row.client_version, requestIp: row.ip },
  });
}
