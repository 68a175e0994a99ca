/**
 * The Organization Tree's writes: creating groups and members, moving and assigning, and resetting
 * several members' two-step verification. Each goes through the same API routes as everywhere else.
 */
import { api, unwrap } from '../../../api/client.ts';
import { ApiProblem } from '../../../api/problem.ts';
import type { TreeRow } from './treeModel.ts';

export type CreateKind = 'group' | 'administrator-group' | 'technician' | 'administrator' | 'master';

/** What a create dialog makes, and where. */
export interface CreateTarget {
  readonly kind: CreateKind;
  /** The parent group (technician or administrator group), or null. */
  readonly parentId: string | null;
  readonly parentName: string | null;
}

export interface CreateRequest {
  readonly kind: CreateKind;
  readonly name: string;
  readonly email: string;
  /** The technician group (for a group: its parent, null at the root; for a technician: theirs) or administrator group. */
  readonly parentId: string | null;
}

/** Creates the item; a member without a password is emailed an invitation by the server. */
export async function createItem(request: CreateRequest): Promise<{ id: string }> {
  const { kind, name, email, parentId } = request;
  switch (kind) {
    case 'group':
      return unwrap(api.POST('/api/v1/technician-groups', { body: { name, parentId } }));
    case 'administrator-group':
      return unwrap(api.POST('/api/v1/administrator-groups', { body: { name } }));
    case 'technician':
      return unwrap(api.POST('/api/v1/members', { body: { name, email, ...(parentId ? { technicianGroupId: parentId } : {}) } }));
    case 'administrator':
      return unwrap(api.POST('/api/v1/members', { body: { name, email, role: 'administrator', ...(parentId ? { administratorGroupId: parentId } : {}) } }));
    case 'master':
      return unwrap(api.POST('/api/v1/members', { body: { name, email, role: 'master_administrator' } }));
  }
}

/**
 * Moves a technician or a group into `groupId`, or assigns an administrator the group (added to the
 * groups they already have: the route takes the whole list).
 */
export async function moveRow(row: TreeRow, groupId: string): Promise<void> {
  const { item } = row;
  if (item.type === 'group') {
    await unwrap(api.PATCH('/api/v1/technician-groups/{id}', { params: { path: { id: item.id } }, body: { parentId: groupId } }));
  } else if (item.type === 'member' && item.placement === 'administrator') {
    const member = await unwrap(api.GET('/api/v1/members/{id}', { params: { path: { id: item.id } } }));
    const assigned = [...new Set([...member.assignedTechnicianGroupIds, groupId])];
    await unwrap(api.PATCH('/api/v1/members/{id}', { params: { path: { id: item.id } }, body: { assignedTechnicianGroupIds: assigned } }));
  } else if (item.type === 'member') {
    await unwrap(api.PATCH('/api/v1/members/{id}', { params: { path: { id: item.id } }, body: { technicianGroupId: groupId } }));
  }
}

export interface ResetResult {
  /** Members whose reset went through. */
  readonly reset: number;
  /** Of those, how many had two-step verification set up. */
  readonly hadSetUp: number;
  /** Members the server refused, with the problem's code. */
  readonly refused: ReadonlyArray<{ readonly id: string; readonly code: string }>;
}

/** The bulk route takes this many members per request. */
const RESET_BATCH = 500;

/**
 * "Force two-step verification reset" for every selected member. The route resets a batch in one
 * transaction or refuses it whole, naming the member it refuses; that member is set aside and the
 * rest of the batch is sent again, so one member out of reach does not stop the others.
 */
export async function resetMembers(ids: readonly string[]): Promise<ResetResult> {
  let reset = 0;
  let hadSetUp = 0;
  const refused: Array<{ id: string; code: string }> = [];
  for (let start = 0; start < ids.length; start += RESET_BATCH) {
    let batch = ids.slice(start, start + RESET_BATCH);
    while (batch.length > 0) {
      try {
        const answer = await unwrap(api.POST('/api/v1/two-step-verification/resets', { body: { memberIds: batch } }));
        reset += batch.length;
        hadSetUp += answer.reset;
        batch = [];
      } catch (error) {
        const memberId = error instanceof ApiProblem ? error.problem.memberId : undefined;
        if (typeof memberId !== 'string' || !batch.includes(memberId)) throw error;
        refused.push({ id: memberId, code: (error as ApiProblem).code });
        batch = batch.filter((id) => id !== memberId);
      }
    }
  }
  return { reset, hadSetUp, refused };
}
