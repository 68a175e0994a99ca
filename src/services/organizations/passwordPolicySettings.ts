/** Global Settings → password policy: read and saved by master administrators only, audited with before/after. */
import type { PasswordPolicy } from '../../core/model.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';

/** The organization's password policy (master administrators only). */
export async function getPasswordPolicy(ctx: Context, actor: Actor): Promise<PasswordPolicy> {
  requireAllowed(await loadPermissionActor(ctx.db, actor), 'settings.read', organizationTarget(actor.organizationId));
  return (await loadOrganizationPolicy(ctx.db, actor.organizationId)).passwordPolicy;
}

/**
 * Saves the policy. It applies to passwords set from now on and to expiry checks at sign-in;
 * existing passwords are not re-judged (they cannot be: only their hashes are kept).
 */
export async function updatePasswordPolicy(ctx: Context, actor: Actor, next: PasswordPolicy): Promise<PasswordPolicy> {
  requireAllowed(await loadPermissionActor(ctx.db, actor), 'settings.update', organizationTarget(actor.organizationId));
  const now = ctx.clock();
  const saved: PasswordPolicy = {
    minimumStrength: next.minimumStrength,
    maximumAgeDays: next.maximumAgeDays,
    expiryNoticeDays: next.expiryNoticeDays,
    adminChangeForcesChange: next.adminChangeForcesChange,
  };
  await ctx.db.transaction().execute(async (trx) => {
    const before = (await loadOrganizationPolicy(trx, actor.organizationId));
    await trx.updateTable('organizations').set({
      pw_minimum_strength: saved.minimumStrength,
      pw_maximum_age_days: saved.maximumAgeDays,
      pw_expiry_notice_days: saved.expiryNoticeDays,
      pw_admin_change_forces_change: saved.adminChangeForcesChange ? 1 : 0,
    }).where('id', '=', actor.organizationId).execute();
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: 'settings', entityId: actor.organizationId, entityName: 'Password policy',
      changeType: 'Change', details: { before: before.passwordPolicy, after: saved },
    });
  });
  return saved;
}
