/**
 * The Organization Tree's one door to the API. Every tree read goes through these functions, so the
 * Tree never knows which routes answer it.
 *
 * Today they read the whole-tree routes (`GET /api/v1/technician-groups`, `GET /api/v1/administrator-groups`)
 * and the keyset-paged `GET /api/v1/members`; the lazy tree routes (`/api/v1/tree/groups`,
 * `/api/v1/tree/search`, `/api/v1/tree/administrators`) replace them here, in this file only.
 */
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema.d.ts';

export type MemberRow = paths['/api/v1/members']['get']['responses'][200]['content']['application/json']['items'][number];

/** One technician group of the tree; `groupCount` lets a row show its chevron before its children load. */
export interface GroupNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly enforceTwoStep: boolean;
  readonly groupCount: number;
}

export interface AdministratorGroupNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
}

export interface Administrators {
  readonly masterAdministrators: readonly MemberRow[];
  readonly administratorGroups: readonly AdministratorGroupNode[];
  /** Administrators by their administrator group's id; `''` holds those in no group. */
  readonly administratorsByGroup: ReadonlyMap<string, readonly MemberRow[]>;
}

export interface MembersPage {
  readonly items: readonly MemberRow[];
  readonly nextCursor: string | null;
}

interface RawNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly enforceTwoStepVerification?: boolean;
  readonly children: ReadonlyArray<Record<string, unknown>>;
}

/** The nested answer of the whole-tree routes, flattened: children keep their parent's id. */
function flatten(nodes: ReadonlyArray<Record<string, unknown>>, parentId: string | null, out: GroupNode[]): GroupNode[] {
  for (const value of nodes) {
    const node = value as unknown as RawNode;
    out.push({ id: node.id, name: node.name, parentId, enforceTwoStep: node.enforceTwoStepVerification ?? false, groupCount: node.children.length });
    flatten(node.children, node.id, out);
  }
  return out;
}

/** Every technician group the caller may see, parents before their children. */
export async function loadTechnicianGroups(): Promise<readonly GroupNode[]> {
  const { items } = await unwrap(api.GET('/api/v1/technician-groups'));
  return flatten(items as unknown as ReadonlyArray<Record<string, unknown>>, null, []);
}

/** One page of the technicians of one group (keyset: `cursor` is the last page's `nextCursor`). */
export async function loadGroupMembers(groupId: string, cursor: string | null): Promise<MembersPage> {
  const query = { technicianGroupId: groupId, limit: '100', ...(cursor ? { cursor } : {}) };
  const page = await unwrap(api.GET('/api/v1/members', { params: { query } }));
  return { items: page.items.filter((member) => member.technicianGroupId === groupId), nextCursor: page.nextCursor };
}

/**
 * Master administrators, administrator groups and their administrators. Until the tree's own route
 * answers this, it pages through the members the caller may see and keeps those with a role.
 */
export async function loadAdministrators(canSeeAdministratorGroups: boolean): Promise<Administrators> {
  const withRole: MemberRow[] = [];
  let cursor: string | null = null;
  do {
    const query: { limit: string; cursor?: string } = { limit: '200', ...(cursor ? { cursor } : {}) };
    const page = await unwrap(api.GET('/api/v1/members', { params: { query } }));
    withRole.push(...page.items.filter((member) => member.role !== null));
    cursor = page.nextCursor;
  } while (cursor);
  const groups = canSeeAdministratorGroups
    ? flatten((await unwrap(api.GET('/api/v1/administrator-groups'))).items as unknown as ReadonlyArray<Record<string, unknown>>, null, [])
    : [];
  const byGroup = new Map<string, MemberRow[]>();
  for (const member of withRole.filter((m) => m.role === 'administrator')) {
    const key = member.administratorGroupId ?? '';
    byGroup.set(key, [...(byGroup.get(key) ?? []), member]);
  }
  return {
    masterAdministrators: withRole.filter((m) => m.role === 'master_administrator'),
    administratorGroups: groups.map(({ id, name, parentId }) => ({ id, name, parentId })),
    administratorsByGroup: byGroup,
  };
}
