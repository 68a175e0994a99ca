/**
 * Administrator groups: nested folders for administrators, managed by master administrators only
 * (docs/product-behaviour.md "Roles": only master administrators create master administrators,
 * administrators and administrator groups).
 * Reading them is the same right, so one guard opens every use case here.
 */
import { TwofoldError } from '../../core/errors.ts';
import { buildTree, type TreeNode } from '../../core/groupTree.ts';
import type { Db } from '../../storage/database.ts';
import type { AdministratorGroupRow } from '../../storage/schema.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import type { Actor, Context } from '../context.ts';

export interface AdministratorGroupRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly parentId: string | null;
  readonly createdAt: string;
}

export function toAdministratorGroupRecord(row: AdministratorGroupRow): AdministratorGroupRecord {
  return {
    id: row.id, name: row.name, description: row.description, parentId: row.parent_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Refuses anyone but a master administrator of the caller's organization. */
export async function requireAdministratorGroupRights(ctx: Context, actor: Actor): Promise<void> {
  requireAllowed(await loadPermissionActor(ctx.db, actor), 'adminGroup.manage', organizationTarget(actor.organizationId));
}

/** The group with this id in `organizationId`; another organization's id is `not_found` like an unknown one. */
export async function findAdministratorGroup(db: Db, organizationId: string, id: string, field = 'id'): Promise<AdministratorGroupRow> {
  const row = await db.selectFrom('administrator_groups').selectAll()
    .where('id', '=', id).where('organization_id', '=', organizationId).executeTakeFirst();
  if (!row) throw new TwofoldError('not_found', 'No such administrator group.', { field });
  return row;
}

export async function getAdministratorGroup(ctx: Context, actor: Actor, id: string): Promise<AdministratorGroupRecord> {
  await requireAdministratorGroupRights(ctx, actor);
  return toAdministratorGroupRecord(await findAdministratorGroup(ctx.db, actor.organizationId, id));
}

/** The Administrators tree, siblings by name. */
export async function listAdministratorGroups(ctx: Context, actor: Actor): Promise<Array<TreeNode<AdministratorGroupRecord>>> {
  await requireAdministratorGroupRights(ctx, actor);
  const rows = await ctx.db.selectFrom('administrator_groups').selectAll()
    .where('organization_id', '=', actor.organizationId).orderBy('name').orderBy('id').execute();
  return buildTree(rows.map(toAdministratorGroupRecord));
}
