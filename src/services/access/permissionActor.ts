/**
 * Turns the signed-in member into what the permission rule needs (role, Master Account Holder or
 * not, the groups they manage), and turns a refusal into the right error.
 */
import { TwofoldError } from '../../core/errors.ts';
import { authorize, managedGroupIds, type Action, type PermissionActor, type Target } from '../../core/permissions.ts';
import type { Db } from '../../storage/database.ts';
import type { Actor } from '../context.ts';

/** Loads the caller's standing in their organization: one read for most, three for administrators. */
export async function loadPermissionActor(db: Db, actor: Actor): Promise<PermissionActor> {
  const organization = await db.selectFrom('organizations').select('master_account_holder_id')
    .where('id', '=', actor.organizationId).executeTakeFirst();
  let managed: Set<string> = new Set();
  if (actor.role === 'administrator') {
    const [assignments, groups] = await Promise.all([
      db.selectFrom('administrator_assignments').select('technician_group_id').where('administrator_id', '=', actor.id).execute(),
      db.selectFrom('technician_groups').select(['id', 'parent_id as parentId']).where('organization_id', '=', actor.organizationId).execute(),
    ]);
    managed = managedGroupIds(assignments.map((a) => a.technician_group_id), groups);
  }
  return {
    id: actor.id,
    organizationId: actor.organizationId,
    role: actor.role,
    isMasterAccountHolder: organization?.master_account_holder_id === actor.id,
    managedGroupIds: managed,
  };
}

/**
 * Throws unless `actor` may do `action` to `target`. When the Master Account Holder's protection is
 * what refused it (the same change to another member would be allowed), the caller hears so
 * (`master_account_holder_protected`); any other refusal is a plain `forbidden`.
 */
export function requireAllowed(actor: PermissionActor, action: Action, target: Target): void {
  if (authorize(actor, action, target)) return;
  if (target.kind === 'member' && target.isMasterAccountHolder && authorize(actor, action, { ...target, isMasterAccountHolder: false })) {
    throw new TwofoldError('master_account_holder_protected', 'The Master Account Holder\'s account can be changed only by the holder, and never deleted, disabled or demoted.');
  }
  throw new TwofoldError('forbidden', 'You are not allowed to do this.');
}

/** The organization as a permission target. */
export const organizationTarget = (organizationId: string): Target => ({ kind: 'organization', organizationId });
