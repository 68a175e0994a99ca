/**
 * The Admin Center's pages. The URL holds the whole state: which node of the Organization Tree is
 * selected (`kind` and `id`) and which tab of the Workspace shows it.
 */
export const adminPaths = {
  home: '/admin',
  globalSettings: '/admin/global-settings',
  /** The organization's report, before any node is selected. */
  reports: '/admin/reports',
  /** Creating members from a CSV or JSON file, checked before anything is saved. */
  importMembers: '/admin/members/import',
  /** The invitations sent to members who have not chosen a password yet. */
  invitations: '/admin/invitations',
  node: '/admin/org/:kind/:id/:tab',
} as const;

/** What a tree row stands for: a technician group, an administrator group, or a member. */
export const NODE_KINDS = ['group', 'administrator-group', 'member'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
export const TABS = ['organization', 'settings', 'reports'] as const;
export type Tab = (typeof TABS)[number];

export const isNodeKind = (value: string | undefined): value is NodeKind => NODE_KINDS.includes(value as NodeKind);
export const isTab = (value: string | undefined): value is Tab => TABS.includes(value as Tab);

export function nodePath(kind: NodeKind, id: string, tab: Tab = 'organization'): string {
  return `/admin/org/${kind}/${encodeURIComponent(id)}/${tab}`;
}
