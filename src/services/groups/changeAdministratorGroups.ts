/** Creating, editing, moving and deleting administrator groups, each one audited transaction. */
import { TwofoldError } from '../../core/errors.ts';
import { wouldCreateCycle } from '../../core/groupTree.ts';
import { newId } from '../../crypto/tokens.ts';
import { lockOrganization } from '../access/rowLocks.ts';
import { audit } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import {
  findAdministratorGroup, requireAdministratorGroupRights, toAdministratorGroupRecord, type AdministratorGroupRecord,
} from './administratorGroups.ts';

export interface AdministratorGroupInput {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly parentId?: string | null | undefined;
}

const entity = (actor: Actor, id: string, name: string) =>
  ({ organizationId: actor.organizationId, actor, entityType: 'administrator_group', entityId: id, entityName: name }) as const;

/** Creates a group at the Administrators root or below another one. */
export async function createAdministratorGroup(
  ctx: Context, actor: Actor, input: AdministratorGroupInput & { readonly name: string },
): Promise<AdministratorGroupRecord> {
  await requireAdministratorGroupRights(ctx, actor);
  const parentId = input.parentId ?? null;
  if (parentId !== null) await findAdministratorGroup(ctx.db, actor.organizationId, parentId, 'parentId');
  const now = ctx.clock();
  const row = {
    id: newId(), organization_id: actor.organizationId, parent_id: parentId,
    name: input.name.trim(), description: input.description?.trim() ?? '', created_at: now.getTime(),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('administrator_groups').values(row).execute();
    await audit(trx, now, { ...entity(actor, row.id, row.name), changeType: 'Add', details: { after: { parentId, description: row.description } } });
  });
  return toAdministratorGroupRecord(row);
}

/** Renames, describes or moves a group; `group_cycle` when it would go below itself. */
export async function updateAdministratorGroup(ctx: Context, actor: Actor, id: string, input: AdministratorGroupInput): Promise<AdministratorGroupRecord> {
  await requireAdministratorGroupRights(ctx, actor);
  const group = await findAdministratorGroup(ctx.db, actor.organizationId, id);
  const moving = input.parentId !== undefined && input.parentId !== group.parent_id;
  const newParentId = input.parentId ?? null;
  if (moving && newParentId !== null) await findAdministratorGroup(ctx.db, actor.organizationId, newParentId, 'parentId');
  const after = {
    name: input.name?.trim() ?? group.name,
    description: input.description?.trim() ?? group.description,
    parent_id: moving ? newParentId : group.parent_id,
  };
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    await lockOrganization(trx, ctx.store.engine, actor.organizationId);
    if (moving) {
      const links = await trx.selectFrom('administrator_groups').select(['id', 'parent_id as parentId'])
        .where('organization_id', '=', actor.organizationId).execute();
      if (wouldCreateCycle(id, newParentId, links)) {
        throw new TwofoldError('group_cycle', 'A group cannot be moved below itself or one of its subgroups.', { field: 'parentId' });
      }
    }
    await trx.updateTable('administrator_groups').set(after).where('id', '=', id).execute();
    if (after.name !== group.name || after.description !== group.description) {
      await audit(trx, now, {
        ...entity(actor, id, after.name), changeType: 'Change',
        details: { before: { name: group.name, description: group.description }, after: { name: after.name, description: after.description } },
      });
    }
    if (moving) {
      await audit(trx, now, { ...entity(actor, id, after.name), changeType: 'Move', details: { before: { parentId: group.parent_id }, after: { parentId: newParentId } } });
    }
  });
  return toAdministratorGroupRecord({ ...group, ...after });
}

/** Deletes a group; `group_not_empty` while administrators or subgroups are in it. */
export async function deleteAdministratorGroup(ctx: Context, actor: Actor, id: string): Promise<void> {
  await requireAdministratorGroupRights(ctx, actor);
  const group = await findAdministratorGroup(ctx.db, actor.organizationId, id);
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const [child, member] = await Promise.all([
      trx.selectFrom('administrator_groups').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst(),
      trx.selectFrom('members').select('id').where('administrator_group_id', '=', id).limit(1).executeTakeFirst(),
    ]);
    if (child || member) {
      throw new TwofoldError('group_not_empty', 'Move the group\'s administrators and subgroups first.', {
        subgroups: child !== undefined, members: member !== undefined,
      });
    }
    await trx.deleteFrom('administrator_groups').where('id', '=', id).execute();
    await audit(trx, now, { ...entity(actor, id, group.name), changeType: 'Delete', details: { before: { parentId: group.parent_id, description: group.description } } });
  });
}
