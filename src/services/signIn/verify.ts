/**
 * The second step: a code from one of the member's offered factors completes the transaction. The
 * factor is looked up through the transaction's member, so an id of someone else's factor is simply
 * not found (docs/security.md S20); the code is consumed and the session issued in the same database
 * transaction that marks the transaction complete (docs/security.md S21).
 */
import { TwofoldError } from '../../core/errors.ts';
import type { ResponseInput } from '../../methods/method.ts';
import { assertUsable } from '../../core/signInTransaction.ts';
import type { Context } from '../context.ts';
import { notifyMember } from '../notify.ts';
import { attemptCode, checkCode, inAttemptTransaction } from './attempts.ts';
import { completeSignInInOneStatement, completesInOneStatement } from './completeInOneStatement.ts';
import { completeTransaction, endIfLinkClosed } from './complete.ts';
import { findTransaction, findTransactionForStep, lockMemberOfTransaction, snapshotOf } from './transactionRecord.ts';
import { proveWithFactor } from './setupProof.ts';
import { offeredFor, viewTransaction, type TransactionView } from './view.ts';

export interface VerifyRequest {
  readonly transactionId: string;
  readonly binding: string | null;
  readonly factorId: string;
  /** A typed code, or the id of a push request the member's device approved. */
  readonly response: ResponseInput;
}

export async function verifyCode(ctx: Context, request: VerifyRequest): Promise<TransactionView> {
  const { row, completion } = await inAttemptTransaction(ctx, async (trx) => {
    // The member's row first, then the transaction read under it: a parallel wrong code that failed
    // the transaction has committed by then, so a right code answers as a wrong one does.
    await lockMemberOfTransaction(trx, ctx.store.engine, request.transactionId);
    const { row, member, policy, factor } = await findTransactionForStep(trx, request.transactionId, request.binding, request.factorId);
    const state = assertUsable(snapshotOf(row), ctx.clock(), ['verify', 'setup']);
    // In a set-up, a code proves possession of a switched-off factor and completes nothing.
    if (state === 'setup') return await proveWithFactor(ctx, trx, row, request.factorId, request.response) ?? { row, completion: null };
    const linkClosed = await endIfLinkClosed(trx, row, ctx.clock());
    if (linkClosed) return linkClosed;
    // Whether a factor is offered depends on the factor alone (its method, the client), so only the
    // one asked for is read, with the transaction.
    if (!factor || offeredFor(row, policy, [factor]).length === 0) {
      throw new TwofoldError('factor_not_offered', 'This verification method cannot be used here.');
    }
    const proof = await checkCode(ctx, trx, factor, request.response, row.id, ctx.clock());
    if (proof !== null && completesInOneStatement(ctx, row, factor, member)) {
      const completion = await completeSignInInOneStatement(ctx, trx, row, factor, proof, member);
      if (completion) return { row, completion };
      // Not consumed (a replayed code, a locked factor): the general way tells which, and counts it.
    }
    const failure = await attemptCode(ctx, trx, row, 'verify', factor, request.response, { proof });
    return failure ?? { row, completion: await completeTransaction(ctx, trx, row, 'verify', { member, organizationName: policy.name }) };
  });
  if (completion === null) return viewTransaction(ctx, request.transactionId, await findTransaction(ctx.db, request.transactionId, request.binding));
  for (const notice of completion.notices) await notifyMember(ctx, notice);
  const done = { ...row, state: 'complete', completed_at: ctx.clock().getTime() };
  return viewTransaction(ctx, request.transactionId, done, completion.session);
}
