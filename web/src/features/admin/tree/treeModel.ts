/**
 * The Organization Tree as rows, without React: three top-level sections (Master Administrators,
 * Administrators, Technicians), groups nested under their parents, and the members loaded so far
 * under their group. A search keeps the rows whose name matches and the branches that lead to them.
 */
import type { NodeKind } from '../paths.ts';
import type { Administrators, GroupNode, MemberRow } from './treeApi.ts';

export interface TreeRow {
  /** `section:…`, or `<kind>:<id>`: unique across the tree. */
  readonly key: string;
  readonly name: string;
  /** What the row opens in the Workspace; null for a section heading. */
  readonly target: { readonly kind: NodeKind; readonly id: string } | null;
  /** The row may have children not loaded yet (a group's technicians): it shows its chevron anyway. */
  readonly expandable: boolean;
  readonly children: readonly TreeRow[];
  /** Children are being fetched: the branch ends with a loading row. */
  readonly loading: boolean;
}

export const SECTION_KEYS = { masters: 'section:masters', administrators: 'section:administrators', technicians: 'section:technicians' } as const;

const memberRow = (member: MemberRow): TreeRow => ({
  key: `member:${member.id}`, name: member.name, target: { kind: 'member', id: member.id }, expandable: false, children: [], loading: false,
});

export interface TreeInput {
  readonly sectionNames: { readonly masters: string; readonly administrators: string; readonly technicians: string };
  readonly groups: readonly GroupNode[];
  readonly administrators: Administrators | null;
  /** Technicians of the groups loaded so far, by group id; a group missing here is not loaded. */
  readonly membersByGroup: ReadonlyMap<string, readonly MemberRow[] | 'loading'>;
}

export function buildTree(input: TreeInput): TreeRow[] {
  const childrenOf = new Map<string | null, GroupNode[]>();
  for (const group of input.groups) childrenOf.set(group.parentId, [...(childrenOf.get(group.parentId) ?? []), group]);
  const groupRow = (group: GroupNode): TreeRow => {
    const members = input.membersByGroup.get(group.id);
    return {
      key: `group:${group.id}`, name: group.name, target: { kind: 'group', id: group.id }, expandable: true,
      children: [...(childrenOf.get(group.id) ?? []).map(groupRow), ...(Array.isArray(members) ? members.map(memberRow) : [])],
      loading: members === 'loading',
    };
  };

  const admins = input.administrators;
  const adminChildrenOf = new Map<string | null, Administrators['administratorGroups'][number][]>();
  for (const group of admins?.administratorGroups ?? []) adminChildrenOf.set(group.parentId, [...(adminChildrenOf.get(group.parentId) ?? []), group]);
  const adminGroupRow = (group: Administrators['administratorGroups'][number]): TreeRow => ({
    key: `administrator-group:${group.id}`, name: group.name, target: { kind: 'administrator-group', id: group.id },
    expandable: true,
    children: [...(adminChildrenOf.get(group.id) ?? []).map(adminGroupRow), ...(admins?.administratorsByGroup.get(group.id) ?? []).map(memberRow)],
    loading: false,
  });

  const section = (key: string, name: string, children: TreeRow[], loading: boolean): TreeRow => ({
    key, name, target: null, expandable: true, children, loading,
  });
  return [
    section(SECTION_KEYS.masters, input.sectionNames.masters, (admins?.masterAdministrators ?? []).map(memberRow), admins === null),
    section(SECTION_KEYS.administrators, input.sectionNames.administrators,
      [...(adminChildrenOf.get(null) ?? []).map(adminGroupRow), ...(admins?.administratorsByGroup.get('') ?? []).map(memberRow)], admins === null),
    section(SECTION_KEYS.technicians, input.sectionNames.technicians, (childrenOf.get(null) ?? []).map(groupRow), false),
  ];
}

/** The rows whose name contains `query` (any case), with their ancestors; and every key to expand to show them. */
export function filterTree(rows: readonly TreeRow[], query: string): { rows: TreeRow[]; expand: string[] } {
  const needle = query.trim().toLocaleLowerCase();
  const expand: string[] = [];
  const visit = (row: TreeRow): TreeRow | null => {
    const children = row.children.map(visit).filter((child): child is TreeRow => child !== null);
    const matches = row.target !== null && row.name.toLocaleLowerCase().includes(needle);
    if (!matches && children.length === 0) return null;
    if (children.length > 0) expand.push(row.key);
    return { ...row, children, expandable: children.length > 0, loading: false };
  };
  return { rows: rows.map(visit).filter((row): row is TreeRow => row !== null), expand };
}
