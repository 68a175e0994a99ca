/**
 * Nested groups (technician groups and administrator groups) as plain data: who descends from whom,
 * and whether a move would put a group below itself. Pure, so permissions and services share it.
 */

/** The shape of a group these functions need: its id and its parent's (null at the root). */
export interface GroupLink {
  readonly id: string;
  readonly parentId: string | null;
}

/** Children by parent id, for walking the tree downwards. */
export function childrenByParent(groups: readonly GroupLink[]): Map<string | null, string[]> {
  const children = new Map<string | null, string[]>();
  for (const group of groups) {
    const list = children.get(group.parentId);
    if (list) list.push(group.id);
    else children.set(group.parentId, [group.id]);
  }
  return children;
}

/**
 * The given groups and all their descendants. Ids that are not in `groups` are ignored, so a stale
 * assignment cannot grant anything.
 */
export function withDescendants(rootIds: Iterable<string>, groups: readonly GroupLink[]): Set<string> {
  const known = new Set(groups.map((g) => g.id));
  const children = childrenByParent(groups);
  const result = new Set<string>();
  const stack = [...rootIds].filter((id) => known.has(id));
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (result.has(id)) continue;
    result.add(id);
    for (const child of children.get(id) ?? []) stack.push(child);
  }
  return result;
}

/** Whether making `newParentId` the parent of `groupId` would make the group its own ancestor. */
export function wouldCreateCycle(groupId: string, newParentId: string | null, groups: readonly GroupLink[]): boolean {
  if (newParentId === null) return false;
  return withDescendants([groupId], groups).has(newParentId);
}

/** A tree node: the item with its children, in the order given. */
export type TreeNode<T> = T & { readonly children: Array<TreeNode<T>> };

/**
 * Builds the forest of `items`. An item whose parent is not among `items` becomes a root, so a
 * partial view (an administrator's managed groups) still shows as a tree.
 */
export function buildTree<T extends GroupLink>(items: readonly T[]): Array<TreeNode<T>> {
  const nodes = new Map<string, TreeNode<T>>(items.map((item) => [item.id, { ...item, children: [] }]));
  const roots: Array<TreeNode<T>> = [];
  for (const item of items) {
    const node = nodes.get(item.id)!;
    const parent = item.parentId === null ? undefined : nodes.get(item.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/**
 * What separates the names in a technician group's path ("Support/Tier 1", in imports). A new or
 * renamed group's name may not contain it: otherwise a root group "A/B" and a group "B" under "A"
 * would share one path.
 */
export const GROUP_PATH_SEPARATOR = '/';

/** Whether a technician group may take this name: it cannot be confused with a path. */
export function isPathSafeGroupName(name: string): boolean {
  return !name.includes(GROUP_PATH_SEPARATOR);
}

/**
 * The form in which sibling groups' names must differ: trimmed, composed, lower-cased. Siblings
 * named "Support" and "support " could not be told apart in a path ("Support/Tier 1") or a list.
 */
export function groupNameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/**
 * Names for groups that clash with an earlier sibling: the oldest keeps its name, each later one gets
 * the first free " (2)", " (3)"… among its siblings. `groups` come oldest first; `siblingsKey` names
 * the parent (and organization) they sit under. Returns only the groups to rename, by id.
 */
export function renamedDuplicateSiblings(
  groups: ReadonlyArray<{ readonly id: string; readonly siblingsKey: string; readonly name: string }>,
): Map<string, string> {
  const taken = new Set(groups.map((g) => `${g.siblingsKey}\n${groupNameKey(g.name)}`));
  const kept = new Set<string>();
  const renamed = new Map<string, string>();
  for (const group of groups) {
    const key = `${group.siblingsKey}\n${groupNameKey(group.name)}`;
    if (!kept.has(key)) {
      kept.add(key);
      continue;
    }
    let n = 2;
    let name = `${group.name.trim()} (${n})`;
    while (taken.has(`${group.siblingsKey}\n${groupNameKey(name)}`)) name = `${group.name.trim()} (${++n})`;
    taken.add(`${group.siblingsKey}\n${groupNameKey(name)}`);
    renamed.set(group.id, name);
  }
  return renamed;
}
