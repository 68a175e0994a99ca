/** A technician group as the API shows it, and finding one the caller is allowed to see. */
import { TwofoldError } from '../../core/errors.ts';
import { authorize, type PermissionActor, type TechnicianGroupTarget } from '../../core/permissions.ts';
import type { Db } from '../../storage/database.ts';
import type { TechnicianGroupRow } from '../../storage/schema.ts';

export interface TechnicianGroupRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly parentId: string | null;
  /** The group's "Enforce two-step verification" checkbox (product.md, Global Settings step 4). */
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
