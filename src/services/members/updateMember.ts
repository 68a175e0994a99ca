/**
 * `PATCH /api/v1/members/{id}`: edit, move, promote or demote, assign, disable or enable a member, or
 * set their password, all in one audited transaction. Each changed field is allowed by the one
 * permission rule before anything is written.
 */
import { hashPassword } from '../../crypto/passwords.ts';
import { passwordChangedNotice } from '../../delivery/messages.ts';
import { isUniqueViolation } from '../../storage/uniqueViolation.ts';
import type { MemberUpdate } from '../../storage/schema.ts';
import { lockOrganization } from '../access/rowLocks.ts';
import { loadPermissionActor, requireAllowed } from '../access/permissionActor.ts';
import type { Actor, Context } from '../context.ts';
import { findVisibleTechnicianGroup } from '../groups/technicianGroupRecord.ts';
import { notifyMember } from '../notify.ts';
import { revokeMemberSessions } from '../sessions.ts';
import { endOpenTransactions } from '../signIn/transactionRecord.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { findAdministratorGroup } from '../groups/administratorGroups.ts';
import { emailTaken } from './createMember.ts';
import { dropResetLinks } from '../password/resetLinks.ts';
import { createInvitation, revokeInvitations, sendInvitation, type NewInvitation } from './invitations.ts';
import { findVisibleMember, memberTarget } from './memberAccess.ts';
import { memberChanges, requiredPermissions, resultingPlacement, type UpdateMemberInput } from './memberChanges.ts';
import { auditMemberChanges } from './memberAudit.ts';
import { toMemberRecord, type MemberWithInvitation } from './memberRecord.ts';
import { requireStrongEnough } from './newPassword.ts';

export type { UpdateMemberInput };

/** Applies a PATCH; returns the member as they are afterwards. */
export async function updateMember(ctx: Context, actor: Actor, id: string, input: UpdateMemberInput): Promise<MemberWithInvitation> {
  const [permissions, policy] = await Promise.all([loadPermissionActor(ctx.db, actor), loadOrganizationPolicy(ctx.db, actor.organizationId)]);
  const member = await findVisibleMember(ctx.db, permissions, id, policy.masterAccountHolderId);
  const assigned = (await ctx.db.selectFrom('administrator_assignments').select('technician_group_id')
    .where('administrator_id', '=', id).execute()).map((a) => a.technician_group_id);
  const changes = memberChanges(member, assigned, input);
  const target = memberTarget(member, policy.masterAccountHolderId);

  // Ids in the body the caller cannot see are `not_found`, like ids in the path.
  if (changes.technicianGroupId != null) await findVisibleTechnicianGroup(ctx.db, permissions, changes.technicianGroupId, 'technicianGroupId');
  for (const [action, t] of requiredPermissions(changes, target)) requireAllowed(permissions, action, t);
  if (changes.administratorGroupId != null) await findAdministratorGroup(ctx.db, actor.organizationId, changes.administratorGroupId, 'administratorGroupId');
  for (const groupId of changes.assignedTechnicianGroupIds ?? []) {
    await findVisibleTechnicianGroup(ctx.db, permissions, groupId, 'assignedTechnicianGroupIds');
  }
  const placement = resultingPlacement(member, changes);
  if (changes.password !== undefined) requireStrongEnough(changes.password, policy.passwordPolicy);
  const passwordHash = changes.password === undefined ? null : await hashPassword(changes.password);

  const now = ctx.clock();
  const update: MemberUpdate = {};
  if (changes.name !== undefined) update.name = changes.name;
  if (changes.email !== undefined) update.email = changes.email;
  if (changes.description !== undefined) update.description = changes.description;
  if (changes.enabled !== undefined) update.enabled = changes.enabled ? 1 : 0;
  if (placement.role !== member.role) update.role = placement.role;
  if (placement.technicianGroupId !== member.technician_group_id) update.technician_group_id = placement.technicianGroupId;
  if (placement.administratorGroupId !== member.administrator_group_id) update.administrator_group_id = placement.administratorGroupId;
  if (passwordHash !== null) {
    update.password_hash = passwordHash;
    update.password_changed_at = now.getTime();
    update.must_change_password = policy.passwordPolicy.adminChangeForcesChange ? 1 : 0;
  }

  // A member still waiting to set their password is invited again at their new address, or when
  // enabled again: closing the old link must not leave them with no way in.
  const reinvite = member.password_hash === null && passwordHash === null && changes.enabled !== false
    && (changes.email !== undefined || (changes.enabled === true && member.enabled === 0));
  let invitation: NewInvitation | null = null;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      if (changes.role !== undefined || changes.enabled === false) {
        // The holder may have changed since we read it; the protection must hold at commit time.
        await lockOrganization(trx, ctx.store.engine, actor.organizationId);
        const organization = await trx.selectFrom('organizations').select('master_account_holder_id')
          .where('id', '=', actor.organizationId).executeTakeFirstOrThrow();
        const current = memberTarget(member, organization.master_account_holder_id);
        if (changes.role !== undefined) requireAllowed(permissions, 'member.updateRole', current);
        if (changes.enabled === false) requireAllowed(permissions, 'member.disable', current);
      }
      if (changes.email !== undefined) {
        const taken = await trx.selectFrom('members').select('id').where('email', '=', changes.email).executeTakeFirst();
        if (taken) throw emailTaken();
      }
      if (Object.keys(update).length > 0) await trx.updateTable('members').set(update).where('id', '=', id).execute();
      // A disabled member, or one whose password an administrator replaced, keeps no session.
      if (changes.enabled === false || passwordHash !== null) {
        await revokeMemberSessions(trx, id, now);
        // Nor a sign-in or password change under way, started with the old password.
        await endOpenTransactions(trx, [id]);
      }
      // An invitation or reset link went to the old address, or to a member now disabled, or would
      // replace the password an administrator has just set: none may set the password later.
      if (passwordHash !== null || changes.email !== undefined || changes.enabled === false) {
        await revokeInvitations(trx, id, now);
        await dropResetLinks(trx, [id]);
      }
      if (reinvite) invitation = await createInvitation(trx, id, now);
      if (placement.role !== 'administrator' && assigned.length > 0) {
        await trx.deleteFrom('administrator_assignments').where('administrator_id', '=', id).execute();
      } else if (changes.assignedTechnicianGroupIds !== undefined) {
        await trx.deleteFrom('administrator_assignments').where('administrator_id', '=', id).execute();
        if (changes.assignedTechnicianGroupIds.length > 0) {
          await trx.insertInto('administrator_assignments')
            .values(changes.assignedTechnicianGroupIds.map((g) => ({ administrator_id: id, technician_group_id: g }))).execute();
        }
      }
      await auditMemberChanges(trx, now, actor, member, changes, placement, assigned, update.must_change_password === 1);
    });
  } catch (error) {
    throw isUniqueViolation(error) ? emailTaken() : error;
  }

  const updated = await ctx.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (passwordHash !== null) {
    await notifyMember(ctx, passwordChangedNotice({ to: updated.email, organizationName: policy.name, at: now, changedBy: actor.name, language: updated.language }));
  }
  const record = await toMemberRecord(ctx.db, updated, policy, now);
  if (invitation === null) return record;
  const issued: NewInvitation = invitation;
  const sent = await sendInvitation(ctx, updated.email, updated.language, policy.name, issued);
  return { ...record, invitation: { expiresAt: issued.expiresAt.toISOString(), sent } };
}
