/**
 * The proof a set-up asks for before binding, when the member's only factors are of a method the
 * organization has switched off (core/switchedOff.ts). The password alone never replaces a factor:
 * the member first proves possession of one they have — a code from a switched-off factor, accepted
 * here and nowhere else, or a recovery code — or hands over an administrator's setup code at Activate.
 * A proof completes nothing by itself: it only lets the set-up bind an allowed method and activate.
 */
import type { ResponseInput } from '../../methods/method.ts';
import { TwofoldError } from '../../core/errors.ts';
import type { MethodId } from '../../core/model.ts';
import { TRANSACTION_MAX_FAILURES } from '../../core/lockout.ts';
import { assertUsable } from '../../core/signInTransaction.ts';
import { proofFactors } from '../../core/switchedOff.ts';
import { recoveryCodeUsedNotice } from '../../delivery/messages.ts';
import type { Message } from '../../delivery/ports.ts';
import type { Db } from '../../storage/database.ts';
import type { FactorRow, TransactionRow } from '../../storage/schema.ts';
import { audit } from '../audit.ts';
import type { Context } from '../context.ts';
import { activeFactor, activeFactors, isFactorLocked } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy, type OrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { recoveryCodesLeft, useRecoveryCode } from '../twoStep/recoveryCodeStore.ts';
import { setupCodePending } from '../twoStep/setupCodes.ts';
import { attemptCode, countTransactionFailure, requireOpen } from './attempts.ts';
import { clientOf, snapshotOf } from './transactionRecord.ts';

/** Stored in `transactions.setup_proof`: waiting for a proof, or what gave it. */
export type SetupProof = 'required' | 'factor' | 'recovery_code';

const PROOF_REQUIRED =
  'Your previous verification method was switched off by your organization. Verify with it, or with a recovery code, before setting up a new one; or ask an administrator for a setup code.';

export const setupProofRequiredError = (): TwofoldError => new TwofoldError('setup_proof_required', PROOF_REQUIRED);

/** A set-up opened for a member with factors but none they may verify with needs a proof first. */
export function setupProofFor(state: string, factors: readonly FactorRow[]): 'required' | null {
  return state === 'setup' && factors.length > 0 ? 'required' : null;
}

/** Whether this set-up still waits for a proof (as stored in `row`). */
export const waitsForProof = (row: Pick<TransactionRow, 'setup_proof'>): boolean => row.setup_proof === 'required';

/**
 * Refuses to bind a factor while the set-up waits for a proof, unless a setup code is pending: Activate
 * then needs that code, which is the proof. Activate checks again under the member's lock.
 * @throws TwofoldError `setup_proof_required`
 */
export async function requireProofBeforeBinding(db: Db, row: TransactionRow): Promise<void> {
  if (waitsForProof(row) && !await setupCodePending(db, row.member_id)) throw setupProofRequiredError();
}

/** Activate, under the member's lock: whether the set-up still waits for a proof (read again, so current). */
export async function proofStillMissing(trx: Db, row: TransactionRow): Promise<boolean> {
  if (!waitsForProof(row)) return false;
  const current = await trx.selectFrom('transactions').select('setup_proof').where('id', '=', row.id).executeTakeFirstOrThrow();
  return waitsForProof(current);
}

/** The member's switched-off factor `factorId`, if this set-up may take a proof from it. */
export async function proofFactor(db: Db, row: TransactionRow, policy: OrganizationPolicy, factorId: string): Promise<FactorRow | undefined> {
  if (!waitsForProof(row)) return undefined;
  const factor = await activeFactor(db, row.member_id, factorId, policy.epoch);
  return factor && proofFactors([factor], policy.twoStep, clientOf(row)).length === 1 ? factor : undefined;
}

/** What a set-up waiting for a proof shows: the factors to prove with, and whether recovery codes can. */
export async function proofView(db: Db, row: TransactionRow, policy: OrganizationPolicy, now: Date) {
  const waiting = waitsForProof(row) && !await setupCodePending(db, row.member_id);
  if (!waiting) return { proofRequired: false, proofFactors: [], recoveryAvailable: undefined };
  const factors = proofFactors(await activeFactors(db, row.member_id, policy.epoch), policy.twoStep, clientOf(row));
  const { remaining } = await recoveryCodesLeft(db, row.member_id, policy.epoch);
  return {
    proofRequired: true,
    proofFactors: factors.map((f) => ({ id: f.id, type: f.type as MethodId, label: f.label, locked: isFactorLocked(f, now) })),
    recoveryAvailable: remaining > 0,
  };
}

/** Records the proof, once, while the set-up is open. */
async function recordProof(trx: Db, row: TransactionRow, by: Exclude<SetupProof, 'required'>, now: Date): Promise<void> {
  await requireOpen(trx, row, 'setup', now);
  await trx.updateTable('transactions').set({ setup_proof: by })
    .where('id', '=', row.id).where('setup_proof', '=', 'required').where('completed_at', 'is', null)
    .where('failures', '<', TRANSACTION_MAX_FAILURES).execute();
}

/**
 * `POST /transactions/{id}/verify` on a set-up (row read under the member's lock), before anything
 * else is looked at, so a set-up that waits for no proof answers exactly as before: a code from a
 * switched-off factor proves possession. A set-up that waits for no proof refuses as before
 * (`transaction_state`); a factor that is not a switched-off one of the member is `factor_not_offered`.
 * Returns a wrong code's error, counted, or null.
 */
export async function proveWithFactor(
  ctx: Context, trx: Db, row: TransactionRow, factorId: string, response: ResponseInput,
): Promise<TwofoldError | null> {
  const now = ctx.clock();
  if (!waitsForProof(row)) assertUsable(snapshotOf(row), now, ['verify']);
  const policy = await loadOrganizationPolicy(trx, row.organization_id);
  const factor = await proofFactor(trx, row, policy, factorId);
  if (!factor) throw new TwofoldError('factor_not_offered', 'This verification method cannot be used here.');
  const failure = await attemptCode(ctx, trx, row, 'setup', factor, response);
  if (failure) return failure;
  await recordProof(trx, row, 'factor', now);
  return null;
}

/**
 * `POST /transactions/{id}/recovery` on a set-up waiting for a proof (row read under the member's
 * lock): the recovery code is used, audited and notified like one used to sign in, and proves
 * possession. Returns a wrong code's error, counted, or the notices to send.
 */
export async function proveWithRecoveryCode(
  trx: Db, row: TransactionRow, policy: OrganizationPolicy, code: string, now: Date,
): Promise<TwofoldError | { notices: Message[] }> {
  if (!await useRecoveryCode(trx, row.member_id, policy.epoch, code, now)) {
    return countTransactionFailure(trx, row, 'setup', now, 'recovery_code');
  }
  await recordProof(trx, row, 'recovery_code', now);
  const { remaining } = await recoveryCodesLeft(trx, row.member_id, policy.epoch);
  const member = await trx.selectFrom('members').select(['id', 'name', 'email']).where('id', '=', row.member_id).executeTakeFirstOrThrow();
  await audit(trx, now, {
    organizationId: row.organization_id, actor: { id: member.id, name: member.name, ip: row.ip },
    entityType: 'recovery_codes', entityId: member.id, entityName: member.name, changeType: 'Use',
    details: { memberId: member.id, purpose: row.purpose, client: row.client_kind, remaining, during: 'setup_proof' },
  });
  return {
    notices: [recoveryCodeUsedNotice({
      to: member.email, organizationName: policy.name, at: now, remaining, purpose: row.purpose === 'sign_in' ? 'sign_in' : 'password_change',
    })],
  };
}

/**
 * Which step a recovery code may take in `row` now: `verify` as always, or `setup` while it waits for
 * a proof. Anything else refuses as before.
 */
export function recoveryStep(row: TransactionRow, now: Date): 'verify' | 'setup' {
  const state = assertUsable(snapshotOf(row), now, ['verify', 'setup']);
  if (state === 'setup' && !waitsForProof(row)) assertUsable(snapshotOf(row), now, ['verify']);
  return state;
}
