/**
 * The Organization Tree's one door to the API. Every tree read goes through these functions, so the
 * Tree never knows which routes answer it.
 *
 * The tree reads the lazy routes: `GET /api/v1/tree/groups` (a page of one group's child groups with
 * their counts), `GET /api/v1/tree/administrators` (the Administrators section) and
 * `GET /api/v1/tree/search`; a group's technicians come from the keyset-paged `GET /api/v1/members`.
 * The Workspace reads one group by id; nothing in the Admin Center reads every group at once
 * (`GET /api/v1/technician-groups`), which at thousands of groups would stall the page.
 */
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema.d.ts';

export type MemberRow = paths['/api/v1/members']['get']['responses'][200]['content']['application/json']['items'][number];
export type TreeGroup = paths['/api/v1/tree/groups']['get']['responses'][200]['content']['application/json']['items'][number];
export type TreeAdministrators = paths['/api/v1/tree/administrators']['get']['responses'][200]['content']['application/json'];
export type SearchHit = paths['/api/v1/tree/search']['get']['responses'][200]['content']['application/json']['items'][number];

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Rows per page of a branch: enough to fill the tree's height several times, small enough to answer at once. */
export const BRANCH_PAGE = 100;

export type TechnicianGroup = paths['/api/v1/technician-groups/{id}']['get']['responses'][200]['content']['application/json'];

/** One technician group by id (a panel's heading, a picker's chosen group): never the whole list. */
export async function loadTechnicianGroup(id: string, signal?: AbortSignal): Promise<TechnicianGroup> {
  return unwrap(api.GET('/api/v1/technician-groups/{id}', { params: { path: { id } }, ...(signal ? { signal } : {}) }));
}

/** The ids of the caller's top groups, read a keyset page at a time ("Save settings to all groups"). */
export async function loadTopGroupIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<TreeGroup> = await loadChildGroups(null, cursor);
    ids.push(...page.items.map((group) => group.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
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
