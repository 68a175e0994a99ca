/** A technician group as the API shows it, and finding one the caller is allowed to see. */
import { TwofoldError } from '../../core/errors.ts';
import { GROUP_PATH_SEPARATOR, groupNameKey, isPathSafeGroupName } from '../../core/groupTree.ts';
import { authorize, type PermissionActor, type TechnicianGroupTarget } from '../../core/permissions.ts';
import type { Db } from '../../storage/database.ts';
import type { TechnicianGroupRow } from '../../storage/schema.ts';

export interface TechnicianGroupRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly parentId: string | null;
  /** The group's "Enforce two-step verification" checkbox (docs/product-behaviour.md G4). */
  readonly enforceTwoStepVerification: boolean;
  readonly createdAt: string;
}

export function toTechnicianGroupRecord(row: TechnicianGroupRow): TechnicianGroupRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    parentId: row.parent_id,
    enforceTwoStepVerification: row.enforce_two_step === 1,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export function technicianGroupTarget(row: Pick<TechnicianGroupRow, 'id' | 'organization_id' | 'parent_id'>): TechnicianGroupTarget {
  return { kind: 'technicianGroup', organizationId: row.organization_id, id: row.id, parentId: row.parent_id };
}

/**
 * The group with this id in the caller's organization, if the caller may see it. Unknown ids,
 * another organization's ids and groups outside an administrator's reach are all `not_found`, so
 * the answer tells nothing about what exists elsewhere.
 */
export async function findVisibleTechnicianGroup(db: Db, actor: PermissionActor, id: string, field = 'id'): Promise<TechnicianGroupRow> {
  const row = await db.selectFrom('technician_groups').selectAll()
    .where('id', '=', id).where('organization_id', '=', actor.organizationId).executeTakeFirst();
  if (!row || !authorize(actor, 'group.read', technicianGroupTarget(row))) {
    throw new TwofoldError('not_found', 'No such technician group.', { field });
  }
  return row;
}

/** Every technician group of the organization as `{id, parentId}` links, for tree walks. */
export async function technicianGroupLinks(db: Db, organizationId: string): Promise<Array<{ id: string; parentId: string | null }>> {
  return db.selectFrom('technician_groups').select(['id', 'parent_id as parentId'])
    .where('organization_id', '=', organizationId).execute();
}

/** The answer when a sibling already has the name: at create, rename or move alike. */
export const groupNameTaken = (field: 'name' | 'parentId'): TwofoldError =>
  new TwofoldError('group_name_taken', 'Another group under the same parent already has this name.', { field });

/**
 * Refuses a name that a sibling under `parentId` already has, compared as {@link groupNameKey} does
 * (without case, in every script). Call it inside the transaction that writes the group, after
 * locking the organization: the unique index folds ASCII letters only on SQLite, so this comparison
 * is the one that holds for "Équipe" and "équipe", and the lock keeps it true until the commit.
 */
export async function requireFreeSiblingName(
  db: Db, organizationId: string, parentId: string | null, name: string, exceptId: string | null, field: 'name' | 'parentId',
): Promise<void> {
  let siblings = db.selectFrom('technician_groups').select(['id', 'name']).where('organization_id', '=', organizationId);
  siblings = parentId === null ? siblings.where('parent_id', 'is', null) : siblings.where('parent_id', '=', parentId);
  const key = groupNameKey(name);
  if ((await siblings.execute()).some((g) => g.id !== exceptId && groupNameKey(g.name) === key)) throw groupNameTaken(field);
}

/**
 * Refuses a new name holding the path separator, 400 `validation_failed` on `body/name`: an import
 * names a group by its path, which such a name would make ambiguous.
 */
export function requirePathSafeName(name: string): void {
  if (isPathSafeGroupName(name)) return;
  const message = `must not contain "${GROUP_PATH_SEPARATOR}", which separates the groups in a path such as "Support/Tier 1"`;
  throw new TwofoldError('validation_failed', `A technician group's name ${message}.`, { errors: [{ field: 'body/name', message }] });
}
