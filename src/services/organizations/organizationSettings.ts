/**
 * `/api/v1/organization/settings`: the organization's own choices that are not Global Settings of
 * sign-in: how many days its audit events are kept, and how many digits the number of a push approval
 * has (two, or six when the organization requires more). Master administrators read and change
 * them; every change is audited with before and after.
 */
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { lockOrganization } from '../access/rowLocks.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import type { Db } from '../../storage/database.ts';

export interface OrganizationSettings {
  /** Housekeeping deletes audit events older than this (core/retention.ts has the bounds). */
  readonly auditRetentionDays: number;
  /** Digits of the number matched in push approvals: 2 by default, or 6. */
  readonly pushNumberDigits: 2 | 6;
}

async function readSettings(db: Db, organizationId: string): Promise<OrganizationSettings> {
  const row = await db.selectFrom('organizations').select(['audit_retention_days', 'push_number_digits']).where('id', '=', organizationId).executeTakeFirstOrThrow();
  return { auditRetentionDays: row.audit_retention_days, pushNumberDigits: row.push_number_digits === 6 ? 6 : 2 };
}

export async function getOrganizationSettings(ctx: Context, actor: Actor): Promise<OrganizationSettings> {
  requireAllowed(await loadPermissionActor(ctx.db, actor), 'settings.read', organizationTarget(actor.organizationId));
  return readSettings(ctx.db, actor.organizationId);
}

/** Saves the fields given (the schema bounds them); a save that changes nothing writes no event. */
export async function updateOrganizationSettings(ctx: Context, actor: Actor, changes: Partial<OrganizationSettings>): Promise<OrganizationSettings> {
  requireAllowed(await loadPermissionActor(ctx.db, actor), 'settings.update', organizationTarget(actor.organizationId));
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    // Two saves at once each record the value they replaced.
    await lockOrganization(trx, ctx.store.engine, actor.organizationId);
    const before = await readSettings(trx, actor.organizationId);
    const after: OrganizationSettings = {
      auditRetentionDays: changes.auditRetentionDays ?? before.auditRetentionDays,
      pushNumberDigits: changes.pushNumberDigits ?? before.pushNumberDigits,
    };
    if (after.auditRetentionDays === before.auditRetentionDays && after.pushNumberDigits === before.pushNumberDigits) return after;
    await trx.updateTable('organizations').set({ audit_retention_days: after.auditRetentionDays, push_number_digits: after.pushNumberDigits })
      .where('id', '=', actor.organizationId).execute();
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: 'settings', entityId: actor.organizationId, entityName: 'Organization settings',
      changeType: 'Change', details: { before, after },
    });
    return after;
  });
}
