/** One technician group, and the tree of the groups the caller may see. */
import { buildTree, type TreeNode } from '../../core/groupTree.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import type { Actor, Context } from '../context.ts';
import { findVisibleTechnicianGroup, toTechnicianGroupRecord, type TechnicianGroupRecord } from './technicianGroupRecord.ts';

/** One group the caller may see; `not_found` otherwise. */
export async function getTechnicianGroup(ctx: Context, actor: Actor, id: string): Promise<TechnicianGroupRecord> {
  const permissions = await loadPermissionActor(ctx.db, actor);
  return toTechnicianGroupRecord(await findVisibleTechnicianGroup(ctx.db, permissions, id));
}

/**
 * The Technicians tree: everything for master administrators; for administrators the groups they
 * manage, each assigned group a root of its own ("Show Technician Groups only to assigned
 * Administrators", docs/product-behaviour.md "What administrators see"). Siblings are ordered by name, then id, so the tree reads the same each time.
 */
export async function listTechnicianGroups(ctx: Context, actor: Actor): Promise<Array<TreeNode<TechnicianGroupRecord>>> {
  const permissions = await loadPermissionActor(ctx.db, actor);
  requireAllowed(permissions, 'group.list', organizationTarget(actor.organizationId));
  const rows = await ctx.db.selectFrom('technician_groups').selectAll()
    .where('organization_id', '=', actor.organizationId).orderBy('name').orderBy('id').execute();
  const visible = permissions.role === 'master_administrator' ? rows : rows.filter((r) => permissions.managedGroupIds.has(r.id));
  return buildTree(visible.map(toTechnicianGroupRecord));
}
