/**
 * Edits a technician group: name, description, "Enforce two-step verification" (optionally saved to
 * every subgroup too, the product's "Save changes to subgroups"), and its place in the tree.
 */
import { TwofoldError } from '../../core/errors.ts';
import { withDescendants, wouldCreateCycle } from '../../core/groupTree.ts';
import { loadPermissionActor, requireAllowed } from '../access/permissionActor.ts';
import { isUniqueViolation } from '../../storage/uniqueViolation.ts';
import { lockOrganization } from '../access/rowLocks.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import {
  findVisibleTechnicianGroup, groupNameTaken, requireFreeSiblingName, requirePathSafeName, technicianGroupLinks, technicianGroupTarget, toTechnicianGroupRecord, type TechnicianGroupRecord,
} from './technicianGroupRecord.ts';

export interface UpdateTechnicianGroupInput {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  /** A new parent (null: the Technicians root). */
  readonly parentId?: string | null | undefined;
  readonly enforceTwoStepVerification?: boolean | undefined;
  /** Also give every subgroup this group's enforceTwoStepVerification. An explicit choice, never implied. */
  readonly applyToSubgroups?: boolean | undefined;
}

/**
 * Applies the edit in one audited transaction; `group_cycle` when a move would put the group below
 * itself, `group_name_taken` when its new name, or its name under its new parent, is a sibling's,
 * `validation_failed` for a new name holding "/" (a name from before that rule may stay as it is).
 */
export async function updateTechnicianGroup(ctx: Context, actor: Actor, id: string, input: UpdateTechnicianGroupInput): Promise<TechnicianGroupRecord> {
  const permissions = await loadPermissionActor(ctx.db, actor);
  const group = await findVisibleTechnicianGroup(ctx.db, permissions, id);
  const target = technicianGroupTarget(group);
  const moving = input.parentId !== undefined && input.parentId !== group.parent_id;
  const newParentId = input.parentId ?? null;
  if (moving && newParentId !== null) await findVisibleTechnicianGroup(ctx.db, permissions, newParentId, 'parentId');
  const editing = input.name !== undefined || input.description !== undefined
    || input.enforceTwoStepVerification !== undefined || input.applyToSubgroups === true;
  if (editing) requireAllowed(permissions, 'group.update', target);
  if (moving) requireAllowed(permissions, 'group.move', { ...target, newParentId });

  const now = ctx.clock();
  const after = {
    name: input.name?.trim() ?? group.name,
    description: input.description?.trim() ?? group.description,
    parent_id: moving ? newParentId : group.parent_id,
    enforce_two_step: input.enforceTwoStepVerification === undefined ? group.enforce_two_step : input.enforceTwoStepVerification ? 1 : 0,
  };
  const renamed = input.name !== undefined && after.name !== group.name;
  if (renamed) requirePathSafeName(after.name);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await lockOrganization(trx, ctx.store.engine, actor.organizationId);
      if (renamed || moving) {
        await requireFreeSiblingName(trx, actor.organizationId, after.parent_id, after.name, id, moving ? 'parentId' : 'name');
      }
      const links = await technicianGroupLinks(trx, actor.organizationId);
      // Read inside the transaction, so two moves at once cannot together make a loop.
      if (moving && wouldCreateCycle(id, newParentId, links)) {
        throw new TwofoldError('group_cycle', 'A group cannot be moved below itself or one of its subgroups.', { field: 'parentId' });
      }
      await trx.updateTable('technician_groups').set(after).where('id', '=', id).execute();
      const entity = { organizationId: actor.organizationId, actor, entityType: 'technician_group', entityId: id, entityName: after.name } as const;
      const before = { name: group.name, description: group.description, enforceTwoStepVerification: group.enforce_two_step === 1 };
      const edited = { name: after.name, description: after.description, enforceTwoStepVerification: after.enforce_two_step === 1 };
      if (editing && JSON.stringify(before) !== JSON.stringify(edited)) {
        await audit(trx, now, { ...entity, changeType: 'Change', details: { before, after: edited } });
      }
      if (moving) {
        await audit(trx, now, { ...entity, changeType: 'Move', details: { before: { parentId: group.parent_id }, after: { parentId: newParentId } } });
      }
      if (input.applyToSubgroups === true) {
        const subgroups = [...withDescendants([id], links)].filter((g) => g !== id);
        if (subgroups.length > 0) {
          await trx.updateTable('technician_groups').set({ enforce_two_step: after.enforce_two_step })
            .where('id', 'in', subgroups).execute();
        }
        await audit(trx, now, {
          ...entity, changeType: 'Change',
          details: { appliedToSubgroups: subgroups, after: { enforceTwoStepVerification: after.enforce_two_step === 1 } },
        });
      }
    });
  } catch (error) {
    throw isUniqueViolation(error) ? groupNameTaken(moving ? 'parentId' : 'name') : error;
  }
  return toTechnicianGroupRecord({ ...group, ...after });
}
