/**
 * What a PATCH to a member actually changes, and the permission each change needs. Fields sent
 * with their current value change nothing and need no permission, so a form can send itself back whole.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { Role } from '../../core/model.ts';
import type { Action, MemberTarget, Target } from '../../core/permissions.ts';
import type { MemberRow } from '../../storage/schema.ts';
import { normalizeEmail } from './email.ts';
import { roleOf } from './memberRecord.ts';

export interface UpdateMemberInput {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly description?: string | undefined;
  /** A new password chosen by an administrator. */
  readonly password?: string | undefined;
  readonly role?: Role | null | undefined;
  /** Move to this group; null gives up the technician license (only for members with a role). */
  readonly technicianGroupId?: string | null | undefined;
  readonly administratorGroupId?: string | null | undefined;
  readonly enabled?: boolean | undefined;
  readonly assignedTechnicianGroupIds?: readonly string[] | undefined;
}

/** Only the fields that differ from the stored member, normalized. */
export interface MemberChanges {
  name?: string;
  email?: string;
  description?: string;
  password?: string;
  role?: Role | null;
  technicianGroupId?: string | null;
  administratorGroupId?: string | null;
  enabled?: boolean;
  assignedTechnicianGroupIds?: string[];
}

export function memberChanges(member: MemberRow, assigned: readonly string[], input: UpdateMemberInput): MemberChanges {
  const changes: MemberChanges = {};
  const name = input.name?.trim();
  if (name !== undefined && name !== member.name) changes.name = name;
  const email = input.email === undefined ? undefined : normalizeEmail(input.email);
  if (email !== undefined && email !== member.email) changes.email = email;
  const description = input.description?.trim();
  if (description !== undefined && description !== member.description) changes.description = description;
  if (input.password !== undefined) changes.password = input.password;
  if (input.role !== undefined && input.role !== roleOf(member.role)) changes.role = input.role;
  if (input.technicianGroupId !== undefined && input.technicianGroupId !== member.technician_group_id) changes.technicianGroupId = input.technicianGroupId;
  if (input.administratorGroupId !== undefined && input.administratorGroupId !== member.administrator_group_id) changes.administratorGroupId = input.administratorGroupId;
  if (input.enabled !== undefined && input.enabled !== (member.enabled === 1)) changes.enabled = input.enabled;
  if (input.assignedTechnicianGroupIds !== undefined) {
    const wanted = [...new Set(input.assignedTechnicianGroupIds)].sort();
    if (wanted.join('\n') !== [...assigned].sort().join('\n')) changes.assignedTechnicianGroupIds = wanted;
  }
  return changes;
}

/** The (action, target) pairs the permission rule must allow for these changes, in a stable order. */
export function requiredPermissions(changes: MemberChanges, target: MemberTarget): Array<[Action, Target]> {
  const needed: Array<[Action, Target]> = [];
  const organization: Target = { kind: 'organization', organizationId: target.organizationId };
  if (changes.name !== undefined) needed.push(['member.rename', target]);
  if (changes.email !== undefined || changes.description !== undefined) needed.push(['member.update', target]);
  if (changes.password !== undefined) needed.push(['member.setPassword', target]);
  if (changes.role !== undefined) needed.push(['member.updateRole', target]);
  if (changes.technicianGroupId !== undefined) needed.push(['member.move', { ...target, newTechnicianGroupId: changes.technicianGroupId }]);
  if (changes.administratorGroupId !== undefined) needed.push(['adminGroup.manage', organization], ['member.update', target]);
  if (changes.enabled !== undefined) needed.push(['member.disable', target]);
  if (changes.assignedTechnicianGroupIds !== undefined) needed.push(['member.assignGroups', target]);
  return needed;
}

/** The member's roles and groups once the changes apply, refusing combinations the model does not have. */
export function resultingPlacement(member: MemberRow, changes: MemberChanges): {
  role: Role | null; technicianGroupId: string | null; administratorGroupId: string | null;
} {
  const role = changes.role !== undefined ? changes.role : roleOf(member.role);
  const technicianGroupId = changes.technicianGroupId !== undefined ? changes.technicianGroupId : member.technician_group_id;
  if (role === null && technicianGroupId === null) {
    throw invalid('technicianGroupId', 'A technician needs a technician group; a member without a role cannot leave theirs.');
  }
  if (changes.administratorGroupId != null && role !== 'administrator') {
    throw invalid('administratorGroupId', 'Only administrators sit in administrator groups.');
  }
  if (changes.assignedTechnicianGroupIds !== undefined && role !== 'administrator') {
    throw invalid('assignedTechnicianGroupIds', 'Only administrators are assigned to technician groups.');
  }
  // Leaving the administrator role leaves the Administrators tree too.
  const administratorGroupId = role !== 'administrator' ? null
    : changes.administratorGroupId !== undefined ? changes.administratorGroupId : member.administrator_group_id;
  return { role, technicianGroupId, administratorGroupId };
}

const invalid = (field: string, message: string): TwofoldError =>
  new TwofoldError('validation_failed', message, { errors: [{ field: `body/${field}`, message }] });
