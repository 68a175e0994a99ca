/**
 * The Organization Tree as rows, without React: three top-level sections (Master Administrators,
 * Administrators, Technicians), groups under their parents as far as they are loaded, a group's
 * technicians after its subgroups, and a loading row where a branch has more to fetch. A search
 * answer is drawn as a tree too: each hit under the groups of its path, all of them open.
 */
import type { NodeKind } from '../paths.ts';
import { ROOT, hasMore, shownMembers, type Branch } from './branchStore.ts';
import type { SearchHit, TreeAdministrators } from './treeApi.ts';

export type Section = 'masters' | 'administrators' | 'technicians';

/** What a row stands for, as the actions on it need to know. */
export type RowItem =
  | { readonly type: 'section'; readonly section: Section }
  | { readonly type: 'group'; readonly id: string; readonly parentId: string | null; readonly groupCount: number; readonly memberCount: number }
  | { readonly type: 'administrator-group'; readonly id: string }
  /** `placement`: a technician in a group, an administrator in the Administrators section, a master administrator. */
  | { readonly type: 'member'; readonly id: string; readonly placement: 'technician' | 'administrator' | 'master'; readonly role: string | null | undefined; readonly groupId: string | null; readonly required: boolean }
  /** A technician group assigned to an administrator group: it opens the group. */
  | { readonly type: 'assigned'; readonly id: string };

export interface TreeRow {
  /** Unique across the tree: `section:…`, `group:<id>`, `member:<id>`, `admin:<id>`, `master:<id>`, `administrator-group:<id>`, `assigned:<ag>:<id>`. */
  readonly key: string;
  readonly name: string;
  readonly item: RowItem;
  /** What the row opens in the Workspace; null for a section heading. */
  readonly target: { readonly kind: NodeKind; readonly id: string } | null;
  /** The row has children, loaded or not: it shows its chevron anyway. */
  readonly expandable: boolean;
  readonly children: readonly TreeRow[];
  /**
   * The branch has more to fetch (or is fetching): it ends with a loading row, which fetches the next
   * page in view; `failed` when its last load failed and it waits to be tried again.
   */
  readonly more: { readonly branchId: string; readonly loading: boolean; readonly failed?: boolean } | null;
}

export const SECTION_KEYS = { masters: 'section:masters', administrators: 'section:administrators', technicians: 'section:technicians' } as const;

export interface TreeInput {
  readonly sectionNames: Readonly<Record<Section, string>>;
  readonly showMasters: boolean;
  readonly administrators: TreeAdministrators | undefined;
  readonly branch: (id: string) => Branch | undefined;
}

const memberRow = (prefix: string, placement: 'technician' | 'administrator' | 'master', member: { id: string; name: string }, extra?: { role: string | null | undefined; groupId: string | null; required: boolean }): TreeRow => ({
  key: `${prefix}:${member.id}`, name: member.name, target: { kind: 'member', id: member.id }, expandable: false, children: [], more: null,
  item: { type: 'member', id: member.id, placement, role: extra ? extra.role : placement === 'master' ? 'master_administrator' : 'administrator', groupId: extra?.groupId ?? null, required: extra?.required ?? false },
});

/**
 * A branch's rows. `seen` holds the keys already placed: while a move is being reloaded, the old and
 * the new branch may both hold the moved row for a moment, and a key must appear once in a collection.
 */
function branchRows(id: string, branch: (id: string) => Branch | undefined, seen: Set<string>): { children: TreeRow[]; more: TreeRow['more'] } {
  const loaded = branch(id);
  if (!loaded) return { children: [], more: { branchId: id, loading: true } };
  const once = <T extends { id: string }>(prefix: string) => (item: T) => {
    if (seen.has(`${prefix}:${item.id}`)) return false;
    seen.add(`${prefix}:${item.id}`);
    return true;
  };
  const children: TreeRow[] = [
    ...loaded.groups.filter(once('group')).map((group): TreeRow => {
      const inner = branchRows(group.id, branch, seen);
      return {
        key: `group:${group.id}`, name: group.name, target: { kind: 'group', id: group.id },
        item: { type: 'group', id: group.id, parentId: id === ROOT ? null : id, groupCount: group.groupCount, memberCount: group.memberCount },
        expandable: group.groupCount + group.memberCount > 0,
        children: branch(group.id) ? inner.children : [],
        more: branch(group.id) ? inner.more : null,
      };
    }),
    ...shownMembers(loaded).filter(once('member')).map((member) => memberRow('member', 'technician', member, { role: member.role, groupId: id, required: member.twoStepVerification.required })),
  ];
  return { children, more: loaded.loading || hasMore(loaded) ? { branchId: id, loading: loaded.loading, failed: !loaded.loading && loaded.error != null } : null };
}

export function buildTree(input: TreeInput): TreeRow[] {
  const admins = input.administrators;
  const section = (name: Section, children: TreeRow[], more: TreeRow['more']): TreeRow => ({
    key: SECTION_KEYS[name], name: input.sectionNames[name], item: { type: 'section', section: name }, target: null,
    expandable: true, children, more,
  });
  const waiting = admins ? null : { branchId: 'administrators', loading: true };
  const technicians = branchRows(ROOT, input.branch, new Set());
  return [
    ...(input.showMasters ? [section('masters', (admins?.masterAdministrators ?? []).map((m) => memberRow('master', 'master', m)), waiting)] : []),
    section('administrators', [
      ...(admins?.administratorGroups ?? []).map((group): TreeRow => ({
        key: `administrator-group:${group.id}`, name: group.name, target: { kind: 'administrator-group', id: group.id },
        item: { type: 'administrator-group', id: group.id }, expandable: true, more: null,
        children: [
          ...group.administrators.map((a) => memberRow('admin', 'administrator', a)),
          ...group.technicianGroups.map((g): TreeRow => ({
            key: `assigned:${group.id}:${g.id}`, name: g.name, target: { kind: 'group', id: g.id }, item: { type: 'assigned', id: g.id },
            expandable: false, children: [], more: null,
          })),
        ],
      })),
      ...(admins?.unassignedAdministrators ?? []).map((a) => memberRow('admin', 'administrator', a)),
    ], waiting),
    section('technicians', technicians.children, technicians.more),
  ];
}

/**
 * A search answer as a tree under the Technicians section: each hit below the groups of its path (a
 * group's path ends at its parent, a member's at their own group), every branch open. Members in no
 * technician group (administrators) stand at the top.
 */
export function buildSearchTree(hits: readonly SearchHit[], techniciansName: string): { rows: TreeRow[]; expand: string[] } {
  interface Node { row: Omit<TreeRow, 'children'>; children: Map<string, Node> }
  const top = new Map<string, Node>();
  const expand = new Set<string>([SECTION_KEYS.technicians]);
  const groupNode = (group: { id: string; name: string }, parentId: string | null): Node => ({
    row: {
      key: `group:${group.id}`, name: group.name, target: { kind: 'group', id: group.id }, expandable: false, more: null,
      item: { type: 'group', id: group.id, parentId, groupCount: 0, memberCount: 0 },
    },
    children: new Map(),
  });
  const technicians = new Map<string, Node>();
  for (const hit of hits) {
    if (hit.kind === 'member' && hit.path.length === 0) {
      top.set(`member:${hit.id}`, { row: memberRow('member', 'administrator', hit, { role: undefined, groupId: null, required: false }), children: new Map() });
      continue;
    }
    let level = technicians;
    let parentId: string | null = null;
    for (const group of hit.path) {
      const key = `group:${group.id}`;
      if (!level.has(key)) level.set(key, groupNode(group, parentId));
      expand.add(key);
      level = level.get(key)!.children;
      parentId = group.id;
    }
    const key = `${hit.kind}:${hit.id}`;
    if (hit.kind === 'group') {
      if (!level.has(key)) level.set(key, groupNode(hit, parentId));
    } else {
      // A hit does not say the member's role: the server judges what may be done to them.
      level.set(key, { row: memberRow('member', 'technician', hit, { role: undefined, groupId: parentId, required: false }), children: new Map() });
    }
  }
  const toRow = (node: Node): TreeRow => {
    const children = [...node.children.values()].map(toRow);
    return { ...node.row, children, expandable: children.length > 0 };
  };
  const rows = [...top.values()].map(toRow);
  if (technicians.size > 0) {
    rows.push({
      key: SECTION_KEYS.technicians, name: techniciansName, item: { type: 'section', section: 'technicians' }, target: null,
      expandable: true, more: null, children: [...technicians.values()].map(toRow),
    });
  }
  return { rows, expand: [...expand] };
}

/** The row with this key, anywhere in the tree. */
export function findRow(rows: readonly TreeRow[], key: string): TreeRow | null {
  for (const row of rows) {
    if (row.key === key) return row;
    const inner = findRow(row.children, key);
    if (inner) return inner;
  }
  return null;
}

/** The rows from the top down to the row with this key, the row last; empty when it is not there. */
export function pathTo(rows: readonly TreeRow[], key: string): TreeRow[] {
  for (const row of rows) {
    if (row.key === key) return [row];
    const inner = pathTo(row.children, key);
    if (inner.length > 0) return [row, ...inner];
  }
  return [];
}
