/**
 * `DELETE /api/v1/members/{id}`: removes a member for good, in one audited database transaction: the
 * member's row and everything that let them in or was under way for them (sessions, factors and the
 * codes sent to them, recovery codes, setup code, sign-in and password-change transactions,
 * invitation and reset links, assignments to technician groups). Nothing personal stays behind but
 * the audit trail: its events keep the member's id and name as they were written, and the `Delete`
 * event records the member as they were, so the trail still reads whole until the organization's
 * retention removes it.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import { loadPermissionActor, requireAllowed } from '../access/permissionActor.ts';
import { lockMember, lockOrganization } from '../access/rowLocks.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { findVisibleMember, memberTarget } from './memberAccess.ts';

export async function deleteMember(ctx: Context, actor: Actor, id: string): Promise<void> {
  const permissions = await loadPermissionActor(ctx.db, actor);
  const organization = await ctx.db.selectFrom('organizations').select('master_account_holder_id')
    .where('id', '=', actor.organizationId).executeTakeFirstOrThrow();
  const seen = await findVisibleMember(ctx.db, permissions, id, organization.master_account_holder_id);
  requireAllowed(permissions, 'member.delete', memberTarget(seen, organization.master_account_holder_id));

  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    // The organization first (who holds the Master Account Holder role, as updates do), then the
    // member's row before any of their rows, as every change of their credentials takes it
    // (access/rowLocks.ts): a sign-in under way either finishes first and its session is deleted here,
    // or waits and then finds no member.
    await lockOrganization(trx, ctx.store.engine, actor.organizationId);
    await lockMember(trx, ctx.store.engine, id);
    const holder = await trx.selectFrom('organizations').select('master_account_holder_id')
      .where('id', '=', actor.organizationId).executeTakeFirstOrThrow();
    const member = await trx.selectFrom('members').selectAll().where('id', '=', id)
      .where('organization_id', '=', actor.organizationId).executeTakeFirst();
    // Deleted meanwhile by another request: as if it never existed.
    if (!member) throw new TwofoldError('not_found', 'No such member.', { field: 'id' });
    // Judged again on the row as it is now: promoted or made the holder meanwhile changes the answer.
    requireAllowed(permissions, 'member.delete', memberTarget(member, holder.master_account_holder_id));

    const assigned = await trx.deleteFrom('administrator_assignments').where('administrator_id', '=', id)
      .returning('technician_group_id').execute();
    await deleteCredentials(trx, id);
    await trx.deleteFrom('members').where('id', '=', id).execute();
    await audit(trx, now, {
      organizationId: actor.organizationId, actor, entityType: memberEntityType(member.role), entityId: id, entityName: member.name,
      changeType: 'Delete', details: {
        before: {
          name: member.name, email: member.email, description: member.description, role: member.role,
          technicianGroupId: member.technician_group_id, administratorGroupId: member.administrator_group_id,
          assignedTechnicianGroupIds: assigned.map((a) => a.technician_group_id).sort(), enabled: member.enabled === 1,
          createdAt: new Date(member.created_at).toISOString(),
          lastSignInAt: member.last_sign_in_at === null ? null : new Date(member.last_sign_in_at).toISOString(),
        },
      },
    });
  });
}

/** Every row that names the member, children before the rows they point to. */
async function deleteCredentials(trx: Kysely<Database>, memberId: string): Promise<void> {
  // Sent codes written before they recorded their member are found through the factor.
  const factors = trx.selectFrom('factors').select('id').where('member_id', '=', memberId);
  await trx.deleteFrom('sent_codes').where((eb) => eb.or([eb('member_id', '=', memberId), eb('factor_id', 'in', factors)])).execute();
  await trx.deleteFrom('recovery_codes').where('member_id', '=', memberId).execute();
  await trx.deleteFrom('factors').where('member_id', '=', memberId).execute();
  await trx.deleteFrom('setup_codes').where('member_id', '=', memberId).execute();
  await trx.deleteFrom('password_resets').where('member_id', '=', memberId).execute();
  await trx.deleteFrom('invitations').where('member_id', '=', memberId).execute();
  await trx.deleteFrom('transactions').where('member_id', '=', memberId).execute();
  await trx.deleteFrom('sessions').where('member_id', '=', memberId).execute();
}
