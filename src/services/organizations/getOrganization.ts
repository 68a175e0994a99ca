/** `GET /api/v1/organization`: the caller's organization, as every member may see it. */
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import type { Actor, Context } from '../context.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';

export interface OrganizationRecord {
  readonly id: string;
  readonly name: string;
  readonly masterAccountHolderId: string | null;
}

/** The caller's organization: id, name and Master Account Holder. */
export async function getOrganization(ctx: Context, actor: Actor): Promise<OrganizationRecord> {
  requireAllowed(await loadPermissionActor(ctx.db, actor), 'organization.read', organizationTarget(actor.organizationId));
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  return { id: policy.id, name: policy.name, masterAccountHolderId: policy.masterAccountHolderId };
}
