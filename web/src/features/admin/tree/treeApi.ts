/**
 * The Organization Tree's one door to the API. Every tree read goes through these functions, so the
 * Tree never knows which routes answer it.
 *
 * The tree reads the lazy routes: `GET /api/v1/tree/groups` (a page of one group's child groups with
 * their counts), `GET /api/v1/tree/administrators` (the Administrators section) and
 * `GET /api/v1/tree/search`; a group's technicians come from the keyset-paged `GET /api/v1/members`.
 * The whole-tree read is kept for the Workspace's group pickers, never for the tree.
 */
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema.d.ts';

export type MemberRow = paths['/api/v1/members']['get']['responses'][200]['content']['application/json']['items'][number];
export type TreeGroup = paths['/api/v1/tree/groups']['get']['responses'][200]['content']['application/json']['items'][number];
export type TreeAdministrators = paths['/api/v1/tree/administrators']['get']['responses'][200]['content']['application/json'];
export type SearchHit = paths['/api/v1/tree/search']['get']['responses'][200]['content']['application/json']['items'][number];

/** One technician group of the whole-tree read; `groupCount` lets a row show its chevron before its children load. */
export interface GroupNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly enforceTwoStep: boolean;
  readonly groupCount: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Rows per page of a branch: enough to fill the tree's height several times, small enough to answer at once. */
export const BRANCH_PAGE = 100;

interface RawNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly enforceTwoStepVerification?: boolean;
  readonly children: ReadonlyArray<Record<string, unknown>>;
}

/** The nested answer of the whole-tree route, flattened: children keep their parent's id. */
function flatten(nodes: ReadonlyArray<Record<string, unknown>>, parentId: string | null, out: GroupNode[]): GroupNode[] {
  for (const value of nodes) {
    const node = value as unknown as RawNode;
    out.push({ id: node.id, name: node.name, parentId, enforceTwoStep: node.enforceTwoStepVerification ?? false, groupCount: node.children.length });
    flatten(node.children, node.id, out);
  }
  return out;
}

/** Every technician group the caller may see, parents before their children (the Workspace's pickers). */
export async function loadTechnicianGroups(): Promise<readonly GroupNode[]> {
  const { items } = await unwrap(api.GET('/api/v1/technician-groups'));
  return flatten(items as unknown as ReadonlyArray<Record<string, unknown>>, null, []);
}

/** One page of a group's child groups (the caller's roots without `parentId`), by name. */
export async function loadChildGroups(parentId: string | null, cursor: string | null, signal?: AbortSignal): Promise<Page<TreeGroup>> {
  const query = { limit: String(BRANCH_PAGE), ...(parentId ? { parentId } : {}), ...(cursor ? { cursor } : {}) };
  return unwrap(api.GET('/api/v1/tree/groups', { params: { query }, ...(signal ? { signal } : {}) }));
}

/** One page of the technicians of one group (keyset: `cursor` is the last page's `nextCursor`). */
export async function loadGroupMembers(groupId: string, cursor: string | null, signal?: AbortSignal): Promise<Page<MemberRow>> {
  const query = { technicianGroupId: groupId, limit: String(BRANCH_PAGE), ...(cursor ? { cursor } : {}) };
  const page = await unwrap(api.GET('/api/v1/members', { params: { query }, ...(signal ? { signal } : {}) }));
  return { items: page.items.filter((member) => member.technicianGroupId === groupId), nextCursor: page.nextCursor };
}

/** Master administrators, administrator groups with their administrators and assignments, and the rest. */
export async function loadAdministrators(signal?: AbortSignal): Promise<TreeAdministrators> {
  return unwrap(api.GET('/api/v1/tree/administrators', signal ? { signal } : {}));
}

/** Groups and members whose name (or email) matches, prefix matches first, each with the groups to open. */
export async function searchTree(text: string, signal?: AbortSignal): Promise<readonly SearchHit[]> {
  const { items } = await unwrap(api.GET('/api/v1/tree/search', { params: { query: { q: text, limit: '50' } }, ...(signal ? { signal } : {}) }));
  return items;
}
