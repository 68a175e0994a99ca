/**
 * Adds a member: a master administrator, an administrator, a technician, or an administrator who is
 * also a technician. With a password set by the caller the member can sign in at once (and must
 * change it first when the policy says so); without one they get an invitation to set their own.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { Role } from '../../core/model.ts';
import { hashPassword } from '../../crypto/passwords.ts';
import { newId } from '../../crypto/tokens.ts';
import { isUniqueViolation } from '../../storage/uniqueViolation.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Actor, Context } from '../context.ts';
import { findAdministratorGroup } from '../groups/administratorGroups.ts';
import { findVisibleTechnicianGroup } from '../groups/technicianGroupRecord.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { normalizeEmail } from './email.ts';
import { createInvitation, sendInvitation, type NewInvitation } from './invitations.ts';
import { toMemberRecord, type MemberWithInvitation } from './memberRecord.ts';
import { requireStrongEnough } from './newPassword.ts';

export interface CreateMemberInput {
  readonly name: string;
  readonly email: string;
  readonly password?: string | undefined;
  readonly role?: Role | undefined;
  readonly technicianGroupId?: string | undefined;
  readonly administratorGroupId?: string | undefined;
  readonly description?: string | undefined;
}

/** Creates the member in one audited transaction, then emails the invitation if there is one. */
export async function createMember(ctx: Context, actor: Actor, input: CreateMemberInput): Promise<MemberWithInvitation> {
  const permissions = await loadPermissionActor(ctx.db, actor);
  if (permissions.role === null) throw new TwofoldError('forbidden', 'You are not allowed to do this.');
  const role = input.role ?? null;
  const technicianGroupId = input.technicianGroupId ?? null;
  const administratorGroupId = input.administratorGroupId ?? null;
  if (role === null && technicianGroupId === null) {
    throw invalid('technicianGroupId', 'A technician needs a technician group; give a role or a technicianGroupId.');
  }
  if (administratorGroupId !== null && role !== 'administrator') {
    throw invalid('administratorGroupId', 'Only administrators sit in administrator groups.');
  }
  if (technicianGroupId !== null) await findVisibleTechnicianGroup(ctx.db, permissions, technicianGroupId, 'technicianGroupId');
  if (administratorGroupId !== null) {
    requireAllowed(permissions, 'adminGroup.manage', organizationTarget(actor.organizationId));
    await findAdministratorGroup(ctx.db, actor.organizationId, administratorGroupId, 'administratorGroupId');
  }
  requireAllowed(permissions, 'member.create', {
    kind: 'member', organizationId: actor.organizationId, id: null, role, technicianGroupId, isMasterAccountHolder: false,
  });

  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  if (input.password !== undefined) requireStrongEnough(input.password, policy.passwordPolicy);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const now = ctx.clock();
  const row = {
    id: newId(),
    organization_id: actor.organizationId,
    email: normalizeEmail(input.email),
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    role,
    administrator_group_id: administratorGroupId,
    technician_group_id: technicianGroupId,
    enabled: 1,
    password_hash: passwordHash,
    password_changed_at: passwordHash === null ? null : now.getTime(),
    // An administrator chose this password; the policy may ask the member to replace it at once.
    must_change_password: passwordHash !== null && policy.passwordPolicy.adminChangeForcesChange ? 1 : 0,
    created_at: now.getTime(),
    last_sign_in_at: null,
    // Chosen by the member, on the website: an administrator's browser says nothing of theirs.
    language: null,
  };

  let invitation: NewInvitation | null;
  try {
    invitation = await ctx.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('members').select('id').where('email', '=', row.email).executeTakeFirst();
      if (taken) throw emailTaken();
      await trx.insertInto('members').values(row).execute();
      const issued = passwordHash === null ? await createInvitation(trx, row.id, now) : null;
      await audit(trx, now, {
        organizationId: actor.organizationId, actor, entityType: memberEntityType(role), entityId: row.id, entityName: row.name,
        changeType: 'Add', details: { after: { email: row.email, role, technicianGroupId, administratorGroupId, invited: passwordHash === null } },
      });
      return issued;
    });
  } catch (error) {
    // Two requests for one email at once: the unique index decides, and the loser hears why.
    throw isUniqueViolation(error) ? emailTaken() : error;
  }

  const record = await toMemberRecord(ctx.db, row, policy, now);
  if (invitation === null) return record;
  const sent = await sendInvitation(ctx, row.email, row.language, policy.name, invitation);
  return { ...record, invitation: { expiresAt: invitation.expiresAt.toISOString(), sent } };
}

const invalid = (field: string, message: string): TwofoldError =>
  new TwofoldError('validation_failed', message, { errors: [{ field: `body/${field}`, message }] });

export const emailTaken = (): TwofoldError =>
  new TwofoldError('email_taken', 'A member with this email already exists.', { field: 'email' });
