/**
 * Searching the Organization Tree while typing: groups by name and members by name or email,
 * case-insensitive, within what the caller may see, each with the path of groups the Admin Center
 * opens to show it.
 *
 * Prefix matches are read by a range over the lower-cased expression indexes (migration 016), so
 * they answer in milliseconds at 100,000 members; only when nothing starts with the text does a
 * substring match run, stopped by the same limit.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { TwofoldError } from '../../core/errors.ts';
import { boundedLimit } from '../access/nameCursor.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import type { Actor, Context } from '../context.ts';

export const SEARCH_DEFAULT = 20;
export const SEARCH_MAX = 50;

export interface TreeSearchHit {
  readonly kind: 'group' | 'member';
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  /** The groups from the caller's root down to the group's parent, or down to the member's own group. */
  readonly path: Array<{ id: string; name: string }>;
}

/** The highest code point: every string starting with `p` sorts between `p` and `p + TOP` byte-wise. */
const TOP = '\u{10FFFF}';

export async function searchTree(ctx: Context, actor: Actor, query: { q: string; limit?: string | number | undefined }): Promise<{ items: TreeSearchHit[] }> {
  const limit = boundedLimit(query.limit, SEARCH_DEFAULT, SEARCH_MAX);
  const text = query.q.trim().toLowerCase();
  if (text === '') throw new TwofoldError('validation_failed', 'Type something to search for.', { errors: [{ field: 'querystring/q', message: 'empty' }] });
  const permissions = await loadPermissionActor(ctx.db, actor);
  requireAllowed(permissions, 'group.list', organizationTarget(actor.organizationId));
  const master = permissions.role === 'master_administrator';
  const managed = [...permissions.managedGroupIds];
  if (!master && managed.length === 0) return { items: [] };

  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  const postgres = ctx.store.engine === 'postgres';
  // SQLite compares text byte-wise, so a range is a prefix; PostgreSQL compares by collation, where the
  // text_pattern_ops index answers LIKE 'prefix%' instead.
  const startsWith = (column: Expression<string>): Expression<SqlBool> => postgres
    ? sql<SqlBool>`${column} like ${`${escaped}%`} escape '\\'`
    : sql<SqlBool>`${column} >= ${text} and ${column} < ${text + TOP}`;
  const contains = (column: Expression<string>): Expression<SqlBool> => sql<SqlBool>`${column} like ${`%${escaped}%`} escape '\\'`;
  const lowerName = sql<string>`lower(name)`;

  const hits: Array<{ kind: 'group' | 'member'; id: string; name: string; email: string | null; groupId: string | null }> = [];
  const seen = new Set<string>();
  const left = () => limit - hits.length;
  const groups = async (match: Expression<SqlBool>) => {
    if (left() <= 0) return;
    let q = ctx.db.selectFrom('technician_groups').select(['id', 'name', 'parent_id']).where('organization_id', '=', actor.organizationId).where(match);
    if (!master) q = q.where('id', 'in', managed);
    for (const g of await q.orderBy(lowerName).orderBy('id').limit(left() + seen.size).execute()) {
      if (left() > 0 && !seen.has(g.id)) { seen.add(g.id); hits.push({ kind: 'group', id: g.id, name: g.name, email: null, groupId: g.parent_id }); }
    }
  };
  const members = async (match: Expression<SqlBool>, order: Expression<string>) => {
    if (left() <= 0) return;
    let q = ctx.db.selectFrom('members').select(['id', 'name', 'email', 'technician_group_id']).where('organization_id', '=', actor.organizationId).where(match);
    if (!master) q = q.where('technician_group_id', 'in', managed);
    for (const m of await q.orderBy(order).orderBy('id').limit(left() + seen.size).execute()) {
      if (left() > 0 && !seen.has(m.id)) { seen.add(m.id); hits.push({ kind: 'member', id: m.id, name: m.name, email: m.email, groupId: m.technician_group_id }); }
    }
  };
  await groups(startsWith(lowerName));
  await members(startsWith(lowerName), lowerName);
  await members(startsWith(sql<string>`email`), sql<string>`email`);
  // Substrings only when nothing starts with the text: while typing a prefix the answer stays an index
  // range, and a substring walk (every name or email, when few match) is paid only when needed.
  if (hits.length > 0) return withPaths();
  await groups(contains(lowerName));
  // Name and email apart: each walks its own index (migration 016) in order, reading only the index,
  // and stops at the limit, instead of reading every member's row.
  await members(contains(lowerName), lowerName);
  await members(contains(sql<string>`email`), sql<string>`email`);

  return withPaths();

  async function withPaths(): Promise<{ items: TreeSearchHit[] }> {
    const paths = await pathsOf(ctx, actor.organizationId, master ? null : permissions.managedGroupIds);
    return { items: hits.map((h) => ({ kind: h.kind, id: h.id, name: h.name, email: h.email, path: paths(h.groupId) })) };
  }
}

/**
 * Walks up from a group to the caller's root: the whole way for master administrators, and for an
 * administrator only through the groups they manage (their tree starts at their assigned groups).
 */
async function pathsOf(ctx: Context, organizationId: string, visible: ReadonlySet<string> | null) {
  const groups = await ctx.db.selectFrom('technician_groups').select(['id', 'name', 'parent_id']).where('organization_id', '=', organizationId).execute();
  const byId = new Map(groups.map((g) => [g.id, g]));
  return (groupId: string | null): Array<{ id: string; name: string }> => {
    const path: Array<{ id: string; name: string }> = [];
    for (let g = groupId === null ? undefined : byId.get(groupId); g && (visible === null || visible.has(g.id)); g = g.parent_id === null ? undefined : byId.get(g.parent_id)) {
      path.unshift({ id: g.id, name: g.name });
      if (path.length > byId.size) break; // never loop on a damaged tree
    }
    return path;
  };
}
