/** Deletes an empty technician group: no members and no subgroups, so nothing is ever orphaned. */
import { TwofoldError } from '../../core/errors.ts';
import { loadPermissionActor, requireAllowed } from '../access/permissionActor.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { findVisibleTechnicianGroup, technicianGroupTarget } from './technicianGroupRecord.ts';

/** Deletes the group and its assignments to administrators; `group_not_empty` while anything is in it. */
export async function deleteTechnicianGroup(ctx: Context, actor: Actor, id: string): Promise<void> {
  const permissions = await loadPermissionActor(ctx.db, actor);
  const group = await findVisibleTechnicianGroup(ctx.db, permissions, id);
  requireAllowed(permissions, 'group.delete', technicianGroupTarget(group));
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    // Checked inside the transaction: a member added meanwhile keeps the group alive.
    const [child, member] = await Promise.all([
      trx.selectFrom('technician_groups').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst(),
      trx.selectFrom('members').select('id').where('technician_group_id', '=', id).limit(1).executeTakeFirst(),
    ]);
    if (child || member) {
      throw new TwofoldError('group_not_empty', 'Move or remove the group\'s members and subgroups first.', {
        subgroups: child !== undefined, members: member !== undefined,
      });
    }
    const unassigned = await trx.deleteFrom('administrator_assignments').where('technician_group_id', '=', id)
      .returning('administrator_id').execute();
    await trx.deleteFrom('technician_groups').where('id', '=', id).execute();
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: 'technician_group', entityId: id, entityName: group.name,
      changeType: 'Delete', details: {
        before: { parentId: group.parent_id, description: group.description, enforceTwoStepVerification: group.enforce_two_step === 1 },
        unassignedAdministratorIds: unassigned.map((a) => a.administrator_id),
      },
    });
  });
}
