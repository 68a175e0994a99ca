/**
 * "Protect your account": binding a factor inside a set-up transaction. The factor stays pending
 * (inactive) until a code from it is confirmed and the member activates (docs/security.md S9).
 */
import { TwofoldError } from '../../core/errors.ts';
import type { MethodId } from '../../core/model.ts';
import { setupMethods } from '../../core/offeredFactors.ts';
import { assertUsable } from '../../core/signInTransaction.ts';
import { newId } from '../../crypto/tokens.ts';
import { challengeDisplay, methodDisplayName, methodFor } from '../../methods/registry.ts';
import type { EnrolmentDetails } from '../../methods/method.ts';
import { lockMemberIfPresent } from '../access/rowLocks.ts';
import type { Context } from '../context.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { assertSetupInOrder, setupPlanOf } from './setupOrder.ts';
import { requireProofBeforeBinding } from './setupProof.ts';
import { clientOf, findTransaction, snapshotOf } from './transactionRecord.ts';
import { FACTOR_STEPS } from '../../core/factorLifecycle.ts';
import { beingSetUpIn, pendingIn } from '../../storage/factorStates.ts';

/** A set-up transaction holds a handful of pending factors at most; more is abuse. */
const MAX_PENDING_FACTORS = 10;

export interface SetUpFactorRequest {
  readonly transactionId: string;
  readonly binding: string | null;
  readonly type: MethodId;
  /** What the chosen method reads to enrol (a phone number, an email address). */
  readonly details: EnrolmentDetails;
  readonly ip: string;
}

export interface SetUpFactorResult {
  readonly id: string;
  readonly type: MethodId;
  readonly label: string;
  readonly otpauthUri?: string;
  readonly qrCodeSvg?: string;
  readonly codeExpiresAt?: string;
  readonly pairingLink?: string;
  readonly pairingExpiresAt?: string;
}

export async function setUpFactor(ctx: Context, request: SetUpFactorRequest): Promise<SetUpFactorResult> {
  const row = await findTransaction(ctx.db, request.transactionId, request.binding);
  assertUsable(snapshotOf(row), ctx.clock(), ['setup']);
  await requireProofBeforeBinding(ctx.db, row);
  const policy = await loadOrganizationPolicy(ctx.db, row.organization_id);
  if (!setupMethods(policy.twoStep, clientOf(row)).includes(request.type)) {
    throw new TwofoldError('method_not_allowed', `The ${methodDisplayName(request.type)} cannot be set up here.`, {
      allowedMethods: setupMethods(policy.twoStep, clientOf(row)),
    });
  }
  // Before anything is bound or sent: a backup first would only be refused at Activate.
  assertSetupInOrder(await setupPlanOf(ctx.db, row.id, policy.twoStep, clientOf(row)), request.type);
  const method = methodFor(request.type);
  const member = await ctx.db.selectFrom('members').select(['id', 'email']).where('id', '=', row.member_id).executeTakeFirst();
  if (!member) throw transactionGone();
  const factorId = newId();
  const bound = await method.enrol(ctx, { factorId, organizationName: policy.name, memberEmail: member.email, details: request.details });
  const now = ctx.clock().getTime();
  const factor = {
    id: factorId, organization_id: row.organization_id, member_id: row.member_id, type: request.type,
    label: bound.label, secret: bound.secret, destination: bound.destination,
    last_step: null, failures: 0, locked_until: null, locked_until_reset: 0, created_at: now,
    ...FACTOR_STEPS.bind(row.id, row.epoch),
  };
  await ctx.db.transaction().execute(async (trx) => {
    // The member and the transaction were read before: a delete of the member (which takes their
    // transactions with it) may have committed since. Under the lock, both are read again, and a gone
    // one answers as an unknown transaction does rather than meet a foreign key.
    if (!await lockMemberIfPresent(trx, ctx.store.engine, row.member_id)) throw transactionGone();
    assertUsable(snapshotOf(await findTransaction(trx, request.transactionId, request.binding)), ctx.clock(), ['setup']);
    // Pairing again replaces an unconfirmed factor of the same method ("Start pairing again").
    await trx.deleteFrom('factors').where(beingSetUpIn(row.id)).where('type', '=', request.type).execute();
    const pending = await trx.selectFrom('factors').select((eb) => eb.fn.countAll<number>().as('n'))
      .where(pendingIn(row.id)).executeTakeFirstOrThrow();
    if (Number(pending.n) >= MAX_PENDING_FACTORS) throw new TwofoldError('conflict', 'Too many methods are being set up at once.');
    await trx.insertInto('factors').values(factor).execute();
  });
  // The method's first challenge: a code sent to the new phone or address, nothing for an app.
  const challenge = await method.challenge(ctx, {
    factor, scope: row.id, organizationName: policy.name, purpose: 'setup', ip: request.ip, client: clientOf(row),
  });
  return { id: factorId, type: request.type, label: bound.label, ...bound.display, ...challengeDisplay(challenge) };
}

const transactionGone = () => new TwofoldError('not_found', 'No such sign-in transaction.');
