/** Confirms a pending factor with a code from it: the proof of possession that makes it usable (docs/security.md S9). */
import { TwofoldError } from '../../core/errors.ts';
import type { ResponseInput } from '../../methods/method.ts';
import { assertUsable } from '../../core/signInTransaction.ts';
import { lockMember } from '../access/rowLocks.ts';
import type { Context } from '../context.ts';
import { attemptCode, inAttemptTransaction, requireOpen } from './attempts.ts';
import { findTransaction, snapshotOf } from './transactionRecord.ts';
import { viewTransaction, type TransactionView } from './view.ts';
import { FACTOR_STEPS, factorState } from '../../core/factorLifecycle.ts';
import { pendingIn } from '../../storage/factorStates.ts';

export interface ConfirmFactorRequest {
  readonly transactionId: string;
  readonly binding: string | null;
  readonly factorId: string;
  /** A code from the new factor, or the id of the push request its device approved. */
  readonly response: ResponseInput;
}

export async function confirmFactor(ctx: Context, request: ConfirmFactorRequest): Promise<TransactionView> {
  const row = await findTransaction(ctx.db, request.transactionId, request.binding);
  assertUsable(snapshotOf(row), ctx.clock(), ['setup']);
  const factor = await ctx.db.selectFrom('factors').selectAll()
    .where('id', '=', request.factorId).where(pendingIn(row.id))
    .executeTakeFirst();
  if (!factor) throw new TwofoldError('not_found', 'No such factor in this set-up.');
  if (factorState(factor, row.epoch) === 'confirmed') return viewTransaction(ctx, request.transactionId, row);

  await inAttemptTransaction(ctx, async (trx) => {
    await lockMember(trx, ctx.store.engine, row.member_id);
    const failure = await attemptCode(ctx, trx, row, 'setup', factor, request.response);
    if (failure) return failure;
    await requireOpen(trx, row, 'setup', ctx.clock());
    await trx.updateTable('factors').set(FACTOR_STEPS.confirm(ctx.clock().getTime()))
      .where('id', '=', factor.id).where('confirmed_at', 'is', null).execute();
    return null;
  });
  const current = await ctx.db.selectFrom('transactions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  return viewTransaction(ctx, request.transactionId, current);
}
