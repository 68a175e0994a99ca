/**
 * Sends a new code for an SMS or email factor of the transaction (verify, or set-up of a pending factor),
 * or a push request to a paired authenticator app.
 */
import { TwofoldError } from '../../core/errors.ts';
import { assertUsable } from '../../core/signInTransaction.ts';
import { startChallenge } from '../../methods/registry.ts';
import type { Context } from '../context.ts';
import { activeFactors } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { clientOf, findTransaction, snapshotOf } from './transactionRecord.ts';
import { proofFactor } from './setupProof.ts';
import { offeredFor } from './view.ts';
import { pendingIn } from '../../storage/factorStates.ts';

export interface ChallengeRequest {
  readonly transactionId: string;
  readonly binding: string | null;
  readonly factorId: string;
  readonly ip: string;
}

export interface ChallengeSent {
  readonly factorId: string;
  readonly expiresAt: string;
  /** For a push factor: the request sent to the device, with the number the sign-in screen shows. */
  readonly pushRequest?: { readonly id: string; readonly number: string; readonly expiresAt: string };
}

export async function sendChallenge(ctx: Context, request: ChallengeRequest): Promise<ChallengeSent> {
  const row = await findTransaction(ctx.db, request.transactionId, request.binding);
  const state = assertUsable(snapshotOf(row), ctx.clock(), ['verify', 'setup']);
  const policy = await loadOrganizationPolicy(ctx.db, row.organization_id);
  const factor = state === 'verify'
    ? offeredFor(row, policy, await activeFactors(ctx.db, row.member_id, policy.epoch)).find((f) => f.id === request.factorId)
    : await ctx.db.selectFrom('factors').selectAll()
      .where('id', '=', request.factorId).where(pendingIn(row.id)).executeTakeFirst()
      // A set-up waiting for a proof also sends codes of the member's switched-off factors, for that proof only.
      ?? await proofFactor(ctx.db, row, policy, request.factorId);
  if (!factor) throw new TwofoldError('factor_not_offered', 'This verification method cannot be used here.');
  const challenge = await startChallenge(ctx, {
    factor,
    scope: row.id,
    organizationName: policy.name,
    purpose: state === 'setup' && factor.active === 0 ? 'setup' : (row.purpose as 'sign_in' | 'password_change'),
    ip: request.ip,
    client: clientOf(row),
  });
  if (challenge.kind === 'push_sent') {
    const pushRequest = { id: challenge.requestId, number: challenge.number, expiresAt: challenge.expiresAt.toISOString() };
    return { factorId: factor.id, expiresAt: pushRequest.expiresAt, pushRequest };
  }
  if (challenge.kind !== 'code_sent') throw new TwofoldError('method_unavailable', 'This factor does not receive codes.');
  return { factorId: factor.id, expiresAt: challenge.expiresAt.toISOString() };
}
