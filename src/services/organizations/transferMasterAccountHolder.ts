/**
 * Hands the Master Account Holder role to another master administrator. Only the holder can do it
 * (docs/product-behaviour.md "Roles": the holder owns the account and cannot be removed), and the change is one
 * conditional update on the organization, so two transfers at once cannot both succeed.
 */
import { TwofoldError } from '../../core/errors.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { findVisibleMember } from '../members/memberAccess.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import type { OrganizationRecord } from './getOrganization.ts';

/** Makes `memberId` the Master Account Holder; the caller must be the current one. */
export async function transferMasterAccountHolder(ctx: Context, actor: Actor, memberId: string): Promise<OrganizationRecord> {
  const [permissions, policy] = await Promise.all([loadPermissionActor(ctx.db, actor), loadOrganizationPolicy(ctx.db, actor.organizationId)]);
  requireAllowed(permissions, 'organization.transferOwnership', organizationTarget(actor.organizationId));
  const successor = await findVisibleMember(ctx.db, permissions, memberId, policy.masterAccountHolderId, 'memberId');
  if (successor.id === actor.id) {
    throw new TwofoldError('conflict', 'You are the Master Account Holder already.', { field: 'memberId' });
  }
  if (successor.role !== 'master_administrator' || successor.enabled !== 1) {
    throw new TwofoldError('conflict', 'The role can be handed only to an enabled master administrator.', { field: 'memberId' });
  }
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('organizations').set({ master_account_holder_id: successor.id })
      .where('id', '=', actor.organizationId).where('master_account_holder_id', '=', actor.id).executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new TwofoldError('forbidden', 'Only the Master Account Holder can hand the role on.');
    // The successor must still be an enabled master administrator at commit time.
    const still = await trx.selectFrom('members').select('id').where('id', '=', successor.id)
      .where('role', '=', 'master_administrator').where('enabled', '=', 1).executeTakeFirst();
    if (!still) throw new TwofoldError('conflict', 'The role can be handed only to an enabled master administrator.', { field: 'memberId' });
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: 'organization', entityId: policy.id, entityName: policy.name,
      changeType: 'Change', details: { before: { masterAccountHolderId: actor.id }, after: { masterAccountHolderId: successor.id } },
    });
  });
  return { id: policy.id, name: policy.name, masterAccountHolderId: successor.id };
}
