/**
 * **Activate**: the confirmed factors of a set-up become the member's factors and the transaction
 * completes, in one database transaction. The primary method must be among them (docs/product-behaviour.md "Setting it up": the
 * organization's primary method first). Each binding is audited and notified (docs/security.md S25–S26).
 * A new set of recovery codes replaces any old one in the same database transaction and is returned
 * in this answer only (docs/security.md S10): the member keeps them for the day the phone is lost.
 * When an administrator issued a setup code for the member, Activate needs it (docs/security.md S26): a
 * wrong one counts against the transaction like a wrong code.
 */
import { TwofoldError } from '../../core/errors.ts';
import { firstSetupMethod } from '../../core/offeredFactors.ts';
import { assertUsable } from '../../core/signInTransaction.ts';
import { factorBoundNotice } from '../../delivery/messages.ts';
import { methodDisplayName } from '../../methods/names.ts';
import { lockMember } from '../access/rowLocks.ts';
import { audit } from '../audit.ts';
import type { Context } from '../context.ts';
import { notifyMember } from '../notify.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { replaceRecoveryCodes } from '../twoStep/recoveryCodeStore.ts';
import { setupCodePending, useSetupCode } from '../twoStep/setupCodes.ts';
import { countTransactionFailure, requireOpen } from './attempts.ts';
import { completeTransaction, endIfLinkClosed } from './complete.ts';
import { clientOf, endOpenTransactions, findTransaction, snapshotOf } from './transactionRecord.ts';
import { proofStillMissing, setupProofRequiredError } from './setupProof.ts';
import { viewTransaction, type TransactionView } from './view.ts';
import { FACTOR_STEPS } from '../../core/factorLifecycle.ts';
import { beingSetUpIn, confirmedIn } from '../../storage/factorStates.ts';
import type { MethodId } from '../../core/model.ts';

const SETUP_CODE_REQUIRED = 'Enter the setup code your administrator gave you to activate two-step verification.';

export async function activate(ctx: Context, transactionId: string, binding: string | null, setupCode?: string): Promise<TransactionView> {
  const row = await findTransaction(ctx.db, transactionId, binding);
  assertUsable(snapshotOf(row), ctx.clock(), ['setup']);
  const policy = await loadOrganizationPolicy(ctx.db, row.organization_id);
  const primary = firstSetupMethod(policy.twoStep, clientOf(row));
  const confirmed = await ctx.db.selectFrom('factors').selectAll()
    .where(confirmedIn(row.id)).execute();
  if (!confirmed.some((f) => f.type === primary)) {
    throw new TwofoldError('primary_factor_required', `Set up and confirm the ${primary === null ? 'required method' : methodDisplayName(primary)} first.`, { primaryMethod: primary });
  }
  const now = ctx.clock();
  const member = await ctx.db.selectFrom('members').select(['id', 'name', 'email', 'role', 'language']).where('id', '=', row.member_id).executeTakeFirstOrThrow();
  if (setupCode === undefined && await setupCodePending(ctx.db, row.member_id)) throw new TwofoldError('setup_code_required', SETUP_CODE_REQUIRED);

  const outcome = await ctx.db.transaction().execute(async (trx) => {
    // The member's row first, as every change of their credentials takes it (access/rowLocks.ts).
    await lockMember(trx, ctx.store.engine, row.member_id);
    await requireOpen(trx, row, 'setup', now);
    const linkClosed = await endIfLinkClosed(trx, row, now);
    if (linkClosed) return { failure: linkClosed };
    // Asked again under the member's lock: an administrator may have issued a code since.
    let setupCodeUsed = false;
    if (await setupCodePending(trx, row.member_id)) {
      if (setupCode === undefined) return { failure: new TwofoldError('setup_code_required', SETUP_CODE_REQUIRED) };
      // A wrong code is counted and committed; the error is thrown after the commit.
      if (!await useSetupCode(trx, row.member_id, setupCode, now)) {
        return { failure: await countTransactionFailure(trx, row, 'setup', now, 'setup_code') };
      }
      setupCodeUsed = true;
    }
    // A member whose methods were switched off binds a new one only after a proof; the setup code is one.
    if (!setupCodeUsed && await proofStillMissing(trx, row)) return { failure: setupProofRequiredError() };
    // This set-up binds the member's factors, and no other: one started beside it (by whoever else
    // has the password) would otherwise bind one more later, with the password alone, or find no code
    // pending once this one has used it.
    await endOpenTransactions(trx, [row.member_id], row.id);
    const completion = await completeTransaction(ctx, trx, row, 'setup');
    // Factors of earlier epochs no longer count; they and any unconfirmed attempt go now.
    await trx.deleteFrom('factors').where('member_id', '=', row.member_id)
      .where((eb) => eb.or([
        eb('epoch', '!=', row.epoch),
        beingSetUpIn(row.id)(eb),
      ])).execute();
    await trx.updateTable('factors').set(FACTOR_STEPS.activate())
      .where(confirmedIn(row.id)).execute();
    for (const factor of confirmed) {
      await audit(trx, now, {
        organizationId: row.organization_id, actor: { id: member.id, name: member.name, ip: row.ip },
        entityType: 'factor', entityId: factor.id, entityName: factor.label, changeType: 'Bind',
        details: { memberId: member.id, type: factor.type, during: 'setup' },
      });
    }
    // The codes belong to the factors' epoch, so they count exactly as long as the factors do.
    const recoveryCodes = await replaceRecoveryCodes(trx, { memberId: member.id, organizationId: row.organization_id, epoch: row.epoch }, now);
    await audit(trx, now, {
      organizationId: row.organization_id, actor: { id: member.id, name: member.name, ip: row.ip },
      entityType: 'recovery_codes', entityId: member.id, entityName: member.name, changeType: 'Add',
      details: { memberId: member.id, count: recoveryCodes.length, during: 'setup' },
    });
    return { completion: { ...completion, recoveryCodes } };
  });
  if ('failure' in outcome) throw outcome.failure;
  const { completion } = outcome;
  for (const factor of confirmed) {
    await notifyMember(ctx, factorBoundNotice({
      to: member.email, organizationName: policy.name, at: now, factorMethod: factor.type as MethodId, factorLabel: factor.label, language: member.language,
    }));
  }
  for (const notice of completion.notices) await notifyMember(ctx, notice);
  const done = await ctx.db.selectFrom('transactions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  return { ...await viewTransaction(ctx, transactionId, done, completion.session), recoveryCodes: completion.recoveryCodes };
}
