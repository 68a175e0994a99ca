/**
 * A member's own factors, from a fully verified and recently re-verified session: add one (pending
 * until confirmed with a code from it), confirm it, remove one, or re-pair one ("Start pairing again":
 * a new factor that replaces it once confirmed). Each binding and removal is audited and the member
 * is told by email (docs/security.md S25, S28). The last factor of a member who must use two-step
 * verification cannot be removed; re-pairing it swaps it in one database transaction.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { MethodId } from '../../core/model.ts';
import { setupMethods } from '../../core/offeredFactors.ts';
import { newId } from '../../crypto/tokens.ts';
import { factorBoundNotice, factorRemovedNotice } from '../../delivery/messages.ts';
import { challengeDisplay, methodDisplayName, methodFor } from '../../methods/registry.ts';
import type { EnrolmentDetails, ResponseInput } from '../../methods/method.ts';
import { hitRateLimit } from '../../storage/rateLimit.ts';
import type { FactorRow } from '../../storage/schema.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { notifyMember } from '../notify.ts';
import { activeFactors, isTwoStepRequired } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { refuseFirstFactorBesideSetupCode } from '../twoStep/setupCodes.ts';
import { attemptInSession, requireRecentVerification, sessionScope } from './reauthenticate.ts';
import { lockMember, lockMemberIfPresent } from '../access/rowLocks.ts';
import { FACTOR_STEPS } from '../../core/factorLifecycle.ts';
import { activeIn, pendingIn } from '../../storage/factorStates.ts';

export interface AddFactorRequest {
  readonly type: MethodId;
  /** What the chosen method reads to enrol (a phone number, an email address). */
  readonly details: EnrolmentDetails;
  /** One of the member's factors the new one takes the place of once confirmed (re-pairing). */
  readonly replacesFactorId?: string | undefined;
}

/** The signed-in member as the two-step rules read a member row. */
const asMember = (actor: Actor) => ({ id: actor.id, role: actor.role, technician_group_id: actor.technicianGroupId });

export async function addFactor(ctx: Context, actor: Actor, request: AddFactorRequest) {
  await requireRecentVerification(ctx, actor);
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  await refuseFirstFactorBesideSetupCode(ctx.db, asMember(actor), policy);
  const allowed = setupMethods(policy.twoStep, actor.client);
  if (!allowed.includes(request.type)) {
    throw new TwofoldError('method_not_allowed', `The ${methodDisplayName(request.type)} cannot be set up here.`, { allowedMethods: allowed });
  }
  let replaces: FactorRow | undefined;
  if (request.replacesFactorId !== undefined) {
    replaces = (await activeFactors(ctx.db, actor.id, policy.epoch)).find((f) => f.id === request.replacesFactorId);
    if (!replaces) throw new TwofoldError('not_found', 'No such factor to re-pair.');
  }
  const method = methodFor(request.type);
  const factorId = newId();
  const bound = await method.enrol(ctx, { factorId, organizationName: policy.name, memberEmail: actor.email, details: request.details });
  const scope = sessionScope(actor);
  const factor = {
    id: factorId, organization_id: actor.organizationId, member_id: actor.id, type: request.type, label: bound.label,
    secret: bound.secret, destination: bound.destination, last_step: null, failures: 0,
    locked_until: null, locked_until_reset: 0, created_at: ctx.clock().getTime(), ...FACTOR_STEPS.bind(scope, policy.epoch),
    replaces_factor_id: replaces?.id ?? null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    // The session was checked before: the member may have been deleted since, sessions and all.
    // Their session is then gone, and the answer says so rather than meet a foreign key.
    if (!await lockMemberIfPresent(trx, ctx.store.engine, actor.id)) throw new TwofoldError('unauthenticated', 'Sign in again.');
    // One pending factor per method and session: pairing again replaces the unconfirmed one.
    await trx.deleteFrom('factors').where(pendingIn(scope)).where('type', '=', request.type).execute();
    await trx.insertInto('factors').values(factor).execute();
  });
  const challenge = await method.challenge(ctx, { factor, scope, organizationName: policy.name, purpose: 'setup', ip: actor.ip, client: actor.client });
  return {
    id: factorId, type: request.type, label: bound.label, ...bound.display, ...challengeDisplay(challenge),
    ...(replaces ? { replacesFactorId: replaces.id } : {}),
  };
}

/** The limit on codes tried to confirm one factor being added; unlocking the member's factors ends it. */
export const confirmAttemptKey = (factorId: string): string => `confirm:${factorId}`;

export async function confirmNewFactor(ctx: Context, actor: Actor, factorId: string, response: ResponseInput) {
  // As recent as adding needs: a pending factor kept since (say, from before a reset) binds nothing.
  await requireRecentVerification(ctx, actor);
  const scope = sessionScope(actor);
  const factor = await ctx.db.selectFrom('factors').selectAll()
    .where('id', '=', factorId).where('member_id', '=', actor.id).where(pendingIn(scope))
    .executeTakeFirst();
  if (!factor) throw new TwofoldError('not_found', 'No such factor being set up in this session.');
  const now = ctx.clock();
  const limit = await hitRateLimit(ctx.db, confirmAttemptKey(factor.id), 5, 10 * 60_000, now);
  if (!limit.allowed) throw new TwofoldError('rate_limited', 'Too many codes were tried. Start again.', { retryAfterSeconds: Math.ceil(limit.retryAfterMs / 1000) });
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  await refuseFirstFactorBesideSetupCode(ctx.db, asMember(actor), policy);
  let replaced: FactorRow | undefined;
  await attemptInSession(ctx, actor, factor, response, async (trx) => {
    // Again under the member's lock: a code issued since the check above holds this binding back too.
    await refuseFirstFactorBesideSetupCode(trx, asMember(actor), policy);
    await trx.updateTable('factors')
      .set({ ...FACTOR_STEPS.confirmAndActivate(now.getTime(), policy.epoch), replaces_factor_id: null })
      .where('id', '=', factor.id).execute();
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: 'factor', entityId: factor.id, entityName: factor.label,
      changeType: 'Bind', details: { memberId: actor.id, type: factor.type, during: 'session', ...(factor.replaces_factor_id ? { replaces: factor.replaces_factor_id } : {}) },
    });
    if (factor.replaces_factor_id === null) return;
    // The old one goes with the same commit; removed meanwhile (or reset away), there is nothing to swap.
    replaced = await trx.selectFrom('factors').selectAll()
      .where('id', '=', factor.replaces_factor_id).where('member_id', '=', actor.id).where('active', '=', 1).executeTakeFirst();
    if (!replaced) return;
    await trx.deleteFrom('factors').where('id', '=', replaced.id).execute();
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: 'factor', entityId: replaced.id, entityName: replaced.label,
      changeType: 'Remove', details: { memberId: actor.id, type: replaced.type, replacedBy: factor.id },
    });
  });
  await notifyMember(ctx, factorBoundNotice({ to: actor.email, organizationName: policy.name, at: now, factorLabel: factor.label }));
  if (replaced) await notifyMember(ctx, factorRemovedNotice({ to: actor.email, organizationName: policy.name, at: now, factorLabel: replaced.label }));
  return { id: factor.id, type: factor.type as MethodId, label: factor.label, ...(replaced ? { replacedFactorId: replaced.id } : {}) };
}

export async function removeFactor(ctx: Context, actor: Actor, factorId: string): Promise<void> {
  await requireRecentVerification(ctx, actor);
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  const factors = await activeFactors(ctx.db, actor.id, policy.epoch);
  const factor = factors.find((f) => f.id === factorId);
  if (!factor) throw new TwofoldError('not_found', 'No such factor.');
  const member = await ctx.db.selectFrom('members').select(['role', 'technician_group_id']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    // Count and delete in one transaction holding the member's row, so two parallel removals
    // cannot both pass the check (SQLite has one writer already).
    await lockMember(trx, ctx.store.engine, actor.id);
    const remaining = await trx.deleteFrom('factors').where('id', '=', factor.id).executeTakeFirst()
      .then(() => trx.selectFrom('factors').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('member_id', '=', actor.id).where(activeIn(policy.epoch)).executeTakeFirstOrThrow());
    if (Number(remaining.n) === 0 && await isTwoStepRequired(trx, member, policy)) {
      throw new TwofoldError('last_factor', 'You must use two-step verification: add another method before removing this one.');
    }
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: 'factor', entityId: factor.id, entityName: factor.label,
      changeType: 'Remove', details: { memberId: actor.id, type: factor.type },
    });
  });
  await notifyMember(ctx, factorRemovedNotice({ to: actor.email, organizationName: policy.name, at: now, factorLabel: factor.label }));
}
