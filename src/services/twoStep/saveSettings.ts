/**
 * Global Settings → Two-step verification. Saving is one database transaction. Changing the primary
 * method resets two-step verification for every member at once by moving the organization to a new
 * epoch: factors of the old epoch stop counting, so the cost does not grow with the organization
 * (docs/design.md "Resetting everyone in constant time"). The preview answers the same counts without saving.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { MethodId, TwoStepSettings } from '../../core/model.ts';
import { AVAILABLE_METHODS } from '../../core/offeredFactors.ts';
import { methodDisplayName } from '../../methods/names.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { countEnforcement } from './enforcementCounts.ts';
import { queueEpochResetNotices, resetMembersPage, type ResetMember } from './epochReset.ts';
import { saverImpact, type SaverImpact } from './saverImpact.ts';
import type { Page, PageParams } from '../access/pagination.ts';
import { loadOrganizationPolicy, policyFromRow } from './organizationPolicy.ts';

export interface SettingsPreview extends SaverImpact {
  readonly membersRequired: number;
  readonly membersReset: number;
  /** Members who will be asked to set two-step verification up at their next sign-in. */
  readonly membersToSetUp: number;
  /**
   * Of those, members whose factors are all of methods these settings no longer allow: they must set
   * up again, after proving possession of one. 0 when the primary method changes: everyone is reset.
   */
  readonly membersMustSetUpAgain: number;
  /** The members a new primary method resets (and tells), a page at a time; none otherwise. */
  readonly affectedMembers: Page<ResetMember>;
}

/** Rejects settings that cannot be saved, with the field that is wrong. */
export function validateSettings(settings: TwoStepSettings): void {
  const allowed = new Set(settings.allowedMethods);
  if (allowed.size !== settings.allowedMethods.length) {
    throw new TwofoldError('validation_failed', 'A method is listed twice in allowedMethods.', { errors: [{ field: 'body/allowedMethods', message: 'must not repeat a method' }] });
  }
  for (const method of [settings.primaryMethod, ...settings.allowedMethods]) {
    if (!AVAILABLE_METHODS.includes(method)) {
      throw new TwofoldError('method_unavailable', `The ${methodDisplayName(method)} is not available yet and cannot be chosen.`, { method });
    }
  }
  if (!allowed.has(settings.primaryMethod)) {
    throw new TwofoldError('method_not_allowed', 'The primary method must be one of the allowed methods.', { errors: [{ field: 'body/primaryMethod', message: 'must be in allowedMethods' }] });
  }
}

export async function previewSettings(ctx: Context, actor: Actor, settings: TwoStepSettings, page: PageParams = {}): Promise<SettingsPreview> {
  validateSettings(settings);
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  const resets = settings.primaryMethod !== policy.twoStep.primaryMethod;
  const counts = await countEnforcement(ctx.db, actor.organizationId, settings, policy.epoch);
  return {
    membersRequired: counts.required,
    membersReset: resets ? counts.withFactors : 0,
    membersToSetUp: resets ? counts.required : counts.requiredWithoutSetup,
    membersMustSetUpAgain: resets ? 0 : counts.mustSetUpAgain,
    ...await saverImpact(ctx.db, actor, policy, settings),
    affectedMembers: resets
      ? await resetMembersPage(ctx.db, actor.organizationId, policy.epoch, page)
      : { items: [], nextCursor: null },
  };
}

export async function saveSettings(
  ctx: Context, actor: Actor, settings: TwoStepSettings,
): Promise<{ settings: TwoStepSettings; membersReset: number }> {
  validateSettings(settings);
  const now = ctx.clock();
  const saved = await ctx.db.transaction().execute(async (trx) => {
    const before = policyFromRow(await trx.selectFrom('organizations').selectAll().where('id', '=', actor.organizationId).executeTakeFirstOrThrow());
    const resets = settings.primaryMethod !== before.twoStep.primaryMethod;
    let membersReset = 0;
    if (resets) {
      const counted = await trx.selectFrom('factors')
        .select((eb) => eb.fn.count<number>('member_id').distinct().as('n'))
        .innerJoin('members', 'members.id', 'factors.member_id')
        .where('factors.organization_id', '=', actor.organizationId).where('factors.epoch', '=', before.epoch)
        .where('factors.active', '=', 1).where('members.enabled', '=', 1)
        .executeTakeFirstOrThrow();
      membersReset = Number(counted.n);
    }
    await trx.updateTable('organizations').set((eb) => ({
      tsv_master_administrators: settings.masterAdministrators ? 1 : 0,
      tsv_administrators: settings.administrators ? 1 : 0,
      tsv_technicians: settings.technicians,
      tsv_primary_method: settings.primaryMethod,
      tsv_allowed_methods: settings.allowedMethods.join(','),
      two_step_epoch: resets ? eb('two_step_epoch', '+', 1) : eb.ref('two_step_epoch'),
      two_step_reset_at: resets ? now.getTime() : eb.ref('two_step_reset_at'),
    })).where('id', '=', actor.organizationId).execute();
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: 'settings', entityId: actor.organizationId,
      entityName: 'Two-step verification', changeType: 'Change',
      details: { before: before.twoStep, after: settings, membersReset },
    });
    return { settings: { ...settings, allowedMethods: [...settings.allowedMethods] as MethodId[] }, membersReset, before };
  });
  // Told after the commit and after the answer, in batches: the save stays one update whatever the
  // organization's size, and a slow mail server never holds it.
  if (saved.membersReset > 0) {
    await queueEpochResetNotices(ctx, {
      organizationId: actor.organizationId, organizationName: saved.before.name, endedEpoch: saved.before.epoch,
      primaryMethod: settings.primaryMethod, changedBy: actor.name, at: now,
    });
  }
  return { settings: saved.settings, membersReset: saved.membersReset };
}
