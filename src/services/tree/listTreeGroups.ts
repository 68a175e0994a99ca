/**
 * One page of the Organization Tree, loaded lazily: the child groups of one group (or of the
 * Technicians root), in name then id order, each with how many child groups and members it holds
 * directly, so the Admin Center shows a branch without reading the whole tree.
 *
 * Master administrators see every group. An administrator sees the groups assigned to them and their
 * descendants; at the root each assigned group stands as a root of its own, as in the full tree.
 */
import { keysetCondition } from '../access/pagination.ts';
import type { PermissionActor } from '../../core/permissions.ts';
import type { Db } from '../../storage/database.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { boundedLimit, decodeNameCursor, encodeNameCursor } from '../access/nameCursor.ts';
import type { Actor, Context } from '../context.ts';
import { findVisibleTechnicianGroup } from '../groups/technicianGroupRecord.ts';

export const TREE_PAGE_DEFAULT = 100;
export const TREE_PAGE_MAX = 500;

export interface TreeGroup {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly enforceTwoStep: boolean;
  /** Direct child groups. */
  readonly groupCount: number;
  /** Direct members (holding this group's technician license). */
  readonly memberCount: number;
}

export interface TreeGroupsQuery {
  readonly parentId?: string | undefined;
  readonly cursor?: string | undefined;
  readonly limit?: string | number | undefined;
}

export async function listTreeGroups(ctx: Context, actor: Actor, query: TreeGroupsQuery): Promise<{ items: TreeGroup[]; nextCursor: string | null }> {
  const size = boundedLimit(query.limit, TREE_PAGE_DEFAULT, TREE_PAGE_MAX);
  const after = decodeNameCursor(query.cursor);
  const permissions = await loadPermissionActor(ctx.db, actor);
  requireAllowed(permissions, 'group.list', organizationTarget(actor.organizationId));
  if (query.parentId !== undefined) await findVisibleTechnicianGroup(ctx.db, permissions, query.parentId, 'parentId');

  let q = ctx.db.selectFrom('technician_groups').select(['id', 'name', 'parent_id', 'enforce_two_step'])
    .where('organization_id', '=', actor.organizationId);
  if (query.parentId !== undefined) {
    q = q.where('parent_id', '=', query.parentId);
  } else if (permissions.role === 'master_administrator') {
    q = q.where('parent_id', 'is', null);
  } else {
    const roots = await assignedRoots(ctx.db, permissions);
    if (roots.length === 0) return { items: [], nextCursor: null };
    q = q.where('id', 'in', roots);
  }
  if (after) q = q.where(keysetCondition(['name', 'id'], [after.name, after.id], 'after'));
  const rows = await q.orderBy('name').orderBy('id').limit(size + 1).execute();
  const kept = rows.slice(0, size);
  const counts = await directCounts(ctx.db, kept.map((r) => r.id));
  const last = kept[kept.length - 1];
  return {
    items: kept.map((r) => ({
      id: r.id, name: r.name, parentId: r.parent_id, enforceTwoStep: r.enforce_two_step === 1,
      groupCount: counts.get(r.id)?.groups ?? 0, memberCount: counts.get(r.id)?.members ?? 0,
    })),
    nextCursor: rows.length > size && last ? encodeNameCursor({ name: last.name, id: last.id }) : null,
  };
}

/** An administrator's managed groups whose parent they do not manage: their roots of the tree. */
async function assignedRoots(db: Db, permissions: PermissionActor): Promise<string[]> {
  const managed = [...permissions.managedGroupIds];
  if (managed.length === 0) return [];
  const rows = await db.selectFrom('technician_groups').select(['id', 'parent_id']).where('id', 'in', managed).execute();
  return rows.filter((r) => r.parent_id === null || !permissions.managedGroupIds.has(r.parent_id)).map((r) => r.id);
}

/**
 * Direct child groups and members of each group of the page: one grouped count each over an index
 * (technician_groups by parent, members by group), bounded by the page, never a whole-tree read.
 */
async function directCounts(db: Db, ids: string[]): Promise<Map<string, { groups: number; members: number }>> {
  const counts = new Map<string, { groups: number; members: number }>(ids.map((id) => [id, { groups: 0, members: 0 }]));
  if (ids.length === 0) return counts;
  const [groups, members] = await Promise.all([
    db.selectFrom('technician_groups').select(['parent_id as id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('parent_id', 'in', ids).groupBy('parent_id').execute(),
    db.selectFrom('members').select(['technician_group_id as id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('technician_group_id', 'in', ids).groupBy('technician_group_id').execute(),
  ]);
  for (const row of groups) if (row.id !== null) counts.get(row.id)!.groups = Number(row.n);
  for (const row of members) if (row.id !== null) counts.get(row.id)!.members = Number(row.n);
  return counts;
}
