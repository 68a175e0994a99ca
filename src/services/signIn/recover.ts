/**
 * The way in without the phone: a recovery code completes a `verify` transaction in place of a code
 * from a factor (docs/security.md S10; NIST SP 800-63B-4 §4.2.1). It is held to the rules of factor codes:
 * used by one conditional update in the database transaction that completes the sign-in or password
 * change, a wrong one counted against the transaction's five failures, and attempts limited per
 * member and per client IP. Its use is audited and the member told by email, with the codes left.
 */
import { clientNetwork } from '../../core/clientNetwork.ts';
import { TwofoldError } from '../../core/errors.ts';
import { recoveryCodeUsedNotice } from '../../delivery/messages.ts';
import { hitRateLimit } from '../../storage/rateLimit.ts';
import { audit } from '../audit.ts';
import type { Context } from '../context.ts';
import { notifyMember } from '../notify.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { recoveryCodesLeft, useRecoveryCode } from '../twoStep/recoveryCodeStore.ts';
import { countTransactionFailure, inAttemptTransaction } from './attempts.ts';
import { completeTransaction, endIfLinkClosed } from './complete.ts';
import { findTransaction, lockMemberOfTransaction } from './transactionRecord.ts';
import { proveWithRecoveryCode, recoveryStep } from './setupProof.ts';
import { RECOVERY_ATTEMPTS_PER_HOUR, recoveryAttemptKey } from './recoveryAttempts.ts';
import { viewTransaction, type TransactionView } from './view.ts';

export { RECOVERY_ATTEMPTS_PER_HOUR } from './recoveryAttempts.ts';
/**
 * Recovery attempts per client IP and hour, across members: someone holding many members' passwords
 * cannot try code sheets on all of them from one address. High enough for an office behind one NAT.
 */
export const RECOVERY_ATTEMPTS_PER_IP_PER_HOUR = 50;
const HOUR_MS = 60 * 60_000;

export interface RecoveryRequest {
  readonly transactionId: string;
  readonly binding: string | null;
  readonly code: string;
  /** The client's address, for the per-IP limit. */
  readonly ip: string;
}

export async function verifyRecoveryCode(ctx: Context, request: RecoveryRequest): Promise<TransactionView> {
  const found = await findTransaction(ctx.db, request.transactionId, request.binding);
  recoveryStep(found, ctx.clock());
  // Counted before the code is looked at, and committed on their own, so a wrong code's rollback does
  // not undo them; an attempt refused by either limit counts against neither.
  await ctx.db.transaction().execute(async (trx) => {
    for (const [key, max] of [[recoveryAttemptKey(found.member_id), RECOVERY_ATTEMPTS_PER_HOUR], [`recovery-ip:${clientNetwork(request.ip)}`, RECOVERY_ATTEMPTS_PER_IP_PER_HOUR]] as const) {
      const limit = await hitRateLimit(trx, key, max, HOUR_MS, ctx.clock());
      if (!limit.allowed) {
        throw new TwofoldError('rate_limited', 'Too many recovery codes were tried. Try again later.', {
          retryAfterSeconds: Math.ceil(limit.retryAfterMs / 1000),
        });
      }
    }
  });

  const now = ctx.clock();
  const outcome = await inAttemptTransaction(ctx, async (trx) => {
    // The member's row first and the transaction read under it, as a verify step does.
    await lockMemberOfTransaction(trx, ctx.store.engine, request.transactionId);
    const row = await findTransaction(trx, request.transactionId, request.binding);
    const step = recoveryStep(row, now);
    const linkClosed = await endIfLinkClosed(trx, row, now);
    if (linkClosed) return linkClosed;
    const policy = await loadOrganizationPolicy(trx, row.organization_id);
    // A set-up waiting for a proof: the code proves possession and completes nothing.
    if (step === 'setup') {
      const proved = await proveWithRecoveryCode(trx, row, policy, request.code, now);
      return proved instanceof TwofoldError ? proved : { row, completion: null, notices: proved.notices };
    }
    if (!await useRecoveryCode(trx, row.member_id, policy.epoch, request.code, now)) {
      return countTransactionFailure(trx, row, 'verify', now, 'recovery_code');
    }
    // Completing checks the transaction is still open; if not, this throws and the code stays unused.
    const completion = await completeTransaction(ctx, trx, row, 'verify');
    const { remaining } = await recoveryCodesLeft(trx, row.member_id, policy.epoch);
    const member = await trx.selectFrom('members').select(['id', 'name', 'email', 'language']).where('id', '=', row.member_id).executeTakeFirstOrThrow();
    await audit(trx, now, {
      organizationId: row.organization_id, actor: { id: member.id, name: member.name, ip: row.ip },
      entityType: 'recovery_codes', entityId: member.id, entityName: member.name, changeType: 'Use',
      details: { memberId: member.id, purpose: row.purpose, client: row.client_kind, remaining },
    });
    const used = recoveryCodeUsedNotice({
      to: member.email, organizationName: policy.name, at: now, remaining, language: member.language, purpose: row.purpose === 'sign_in' ? 'sign_in' : 'password_change',
    });
    return { row, completion, notices: [used, ...completion.notices] };
  });
  for (const notice of outcome.notices) await notifyMember(ctx, notice);
  if (outcome.completion === null) return viewTransaction(ctx, request.transactionId, await findTransaction(ctx.db, request.transactionId, request.binding));
  const done = { ...outcome.row, state: 'complete', completed_at: now.getTime() };
  return viewTransaction(ctx, request.transactionId, done, outcome.completion.session);
}
