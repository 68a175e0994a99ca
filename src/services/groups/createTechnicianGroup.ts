/** Creates a technician group, at the Technicians root or below a group the caller manages. */
import { TwofoldError } from '../../core/errors.ts';
import { newId } from '../../crypto/tokens.ts';
import { isUniqueViolation } from '../../storage/uniqueViolation.ts';
import { loadPermissionActor, requireAllowed } from '../access/permissionActor.ts';
import { lockOrganization } from '../access/rowLocks.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import {
  findVisibleTechnicianGroup, groupNameTaken, requireFreeSiblingName, requirePathSafeName, toTechnicianGroupRecord, type TechnicianGroupRecord,
} from './technicianGroupRecord.ts';

export interface CreateTechnicianGroupInput {
  readonly name: string;
  readonly parentId?: string | null | undefined;
  readonly description?: string | undefined;
  /** Absent: a subgroup starts with its parent's value, a root group with false. */
  readonly enforceTwoStepVerification?: boolean | undefined;
}

/**
 * Creates the group in one audited transaction; `not_found` for a parent the caller cannot see,
 * `group_name_taken` when a sibling has the name (two creates at once: the unique index decides),
 * `validation_failed` for a name holding "/".
 */
export async function createTechnicianGroup(ctx: Context, actor: Actor, input: CreateTechnicianGroupInput): Promise<TechnicianGroupRecord> {
  requirePathSafeName(input.name);
  const permissions = await loadPermissionActor(ctx.db, actor);
  // Technicians create nothing: refuse before looking anything up.
  if (permissions.role === null) throw new TwofoldError('forbidden', 'You are not allowed to do this.');
  const parentId = input.parentId ?? null;
  const parent = parentId === null ? null : await findVisibleTechnicianGroup(ctx.db, permissions, parentId, 'parentId');
  requireAllowed(permissions, 'group.create', { kind: 'technicianGroup', organizationId: actor.organizationId, id: null, parentId });

  const now = ctx.clock();
  const row = {
    id: newId(),
    organization_id: actor.organizationId,
    parent_id: parentId,
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    enforce_two_step: (input.enforceTwoStepVerification ?? parent?.enforce_two_step === 1) ? 1 : 0,
    created_at: now.getTime(),
  };
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await lockOrganization(trx, ctx.store.engine, actor.organizationId);
      await requireFreeSiblingName(trx, actor.organizationId, parentId, row.name, null, 'name');
      await trx.insertInto('technician_groups').values(row).execute();
      await audit(trx, now, {
        organizationId: actor.organizationId, actor, entityType: 'technician_group', entityId: row.id, entityName: row.name,
        changeType: 'Add', details: { after: { parentId, description: row.description, enforceTwoStepVerification: row.enforce_two_step === 1 } },
      });
    });
  } catch (error) {
    throw isUniqueViolation(error) ? groupNameTaken('name') : error;
  }
  return toTechnicianGroupRecord(row);
}
