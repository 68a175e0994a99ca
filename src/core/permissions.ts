/**
 * Who may do what in an organization: one pure function, asked by every service, so the rules live
 * in one place and the permission matrix tests them all (docs/product-behaviour.md "The organization").
 *
 * - Master administrators manage everything in their organization, except that the Master Account
 *   Holder's account is the holder's alone: nobody deletes, disables or demotes it, and the role
 *   passes to another master administrator only by the holder's own hand.
 * - Administrators manage the technician groups assigned to them, their subgroups and the
 *   technicians in those. A member with a role is never "a technician" for these rules, even when
 *   they also hold a technician license: an administrator may not edit another administrator who
 *   sits in a managed group.
 * - Technicians (no role) read their own record and change their own name.
 * - A member of another organization may do nothing.
 *
 * Anything not granted here is denied, including an action paired with the wrong kind of target.
 */
import { withDescendants, type GroupLink } from './groupTree.ts';
import type { Role } from './model.ts';

export type Action =
  | 'organization.read'
  | 'organization.transferOwnership'
  | 'settings.read'
  | 'settings.update'
  | 'audit.read'
  | 'adminGroup.manage'
  | 'group.list'
  | 'group.create'
  | 'group.read'
  | 'group.update'
  | 'group.move'
  | 'group.delete'
  | 'member.list'
  | 'member.import'
  | 'member.create'
  | 'member.read'
  /** Change the name: the one change every member may make to their own record. */
  | 'member.rename'
  /** Change email or description. */
  | 'member.update'
  /** An administrator sets another member's password (one's own goes through the password-change flow). */
  | 'member.setPassword'
  | 'member.updateRole'
  | 'member.assignGroups'
  /** Disable or enable. */
  | 'member.disable'
  | 'member.move'
  | 'member.resetTwoStep'
  /** Delete the member for good, with their sessions, factors and pending sign-ins. */
  | 'member.delete';

/** The caller, as the rules see them. */
export interface PermissionActor {
  readonly id: string;
  readonly organizationId: string;
  readonly role: Role | null;
  readonly isMasterAccountHolder: boolean;
  /** Technician groups the actor manages: see {@link managedGroupIds}. Empty unless an administrator. */
  readonly managedGroupIds: ReadonlySet<string>;
}

/** The organization itself: its settings, audit trail, lists and administrator groups. */
export interface OrganizationTarget {
  readonly kind: 'organization';
  readonly organizationId: string;
}

/** A technician group; for `group.create` the group to be made (`id` null) below `parentId`. */
export interface TechnicianGroupTarget {
  readonly kind: 'technicianGroup';
  readonly organizationId: string;
  readonly id: string | null;
  readonly parentId: string | null;
  /** For `group.move`: where the group goes (null: the Technicians root). */
  readonly newParentId?: string | null;
}

/** A member; for `member.create` the member to be made (`id` null). */
export interface MemberTarget {
  readonly kind: 'member';
  readonly organizationId: string;
  readonly id: string | null;
  readonly role: Role | null;
  readonly technicianGroupId: string | null;
  readonly isMasterAccountHolder: boolean;
  /** For `member.move`: the technician group the member goes to (null: give up the technician license). */
  readonly newTechnicianGroupId?: string | null;
}

export type Target = OrganizationTarget | TechnicianGroupTarget | MemberTarget;

/** The groups an administrator manages: those assigned to them and all their descendants. */
export function managedGroupIds(assignedIds: Iterable<string>, groups: readonly GroupLink[]): Set<string> {
  return withDescendants(assignedIds, groups);
}

/** Whether `actor` may do `action` to `target`. */
export function authorize(actor: PermissionActor, action: Action, target: Target): boolean {
  if (target.organizationId !== actor.organizationId) return false;
  switch (target.kind) {
    case 'organization':
      return onOrganization(actor, action);
    case 'technicianGroup':
      return onGroup(actor, action, target);
    case 'member':
      return onMember(actor, action, target);
  }
}

function onOrganization(actor: PermissionActor, action: Action): boolean {
  const master = actor.role === 'master_administrator';
  switch (action) {
    case 'organization.read':
    case 'member.list': // the listing itself shows only what the caller may read
      return true;
    case 'organization.transferOwnership':
      return master && actor.isMasterAccountHolder;
    case 'settings.read':
    case 'settings.update':
    case 'audit.read':
    case 'adminGroup.manage':
      return master;
    case 'group.list':
    case 'member.import':
      return actor.role !== null;
    default:
      return false;
  }
}

function onGroup(actor: PermissionActor, action: Action, group: TechnicianGroupTarget): boolean {
  if (actor.role === 'master_administrator') {
    // group.create names no existing group; the other actions need one.
    return action === 'group.create' ? group.id === null : group.id !== null && GROUP_ACTIONS.has(action);
  }
  if (actor.role !== 'administrator') return false;
  const managed = (id: string | null | undefined): boolean => id != null && actor.managedGroupIds.has(id);
  switch (action) {
    case 'group.create':
      return group.id === null && managed(group.parentId);
    case 'group.read':
    case 'group.update':
      return managed(group.id);
    // Moving or deleting an assigned group itself would change the tree the master administrator
    // built; administrators do both only below their assigned groups, where they may also create.
    case 'group.move':
      return managed(group.id) && managed(group.parentId) && managed(group.newParentId);
    case 'group.delete':
      return managed(group.id) && managed(group.parentId);
    default:
      return false;
  }
}

const GROUP_ACTIONS: ReadonlySet<Action> = new Set<Action>(['group.read', 'group.update', 'group.move', 'group.delete']);

function onMember(actor: PermissionActor, action: Action, member: MemberTarget): boolean {
  const self = member.id !== null && member.id === actor.id;
  const master = actor.role === 'master_administrator';
  const managed = (id: string | null | undefined): boolean =>
    actor.role === 'administrator' && id != null && actor.managedGroupIds.has(id);
  // Administrators manage technicians only: a member with a role is out of their reach wherever they sit.
  const managesTechnician = member.role === null && managed(member.technicianGroupId);
  // The holder's account is the holder's: other master administrators cannot take it over.
  const mayEdit = master ? !member.isMasterAccountHolder || self : managesTechnician;

  switch (action) {
    case 'member.create':
      return member.id === null && (master || managesTechnician);
    case 'member.read':
      return master || self || managed(member.technicianGroupId);
    case 'member.rename':
      return self || mayEdit;
    case 'member.update':
      return mayEdit;
    case 'member.setPassword':
      return !self && mayEdit;
    case 'member.updateRole':
      return master && !member.isMasterAccountHolder;
    case 'member.assignGroups':
      return master;
    case 'member.disable':
      return !self && !member.isMasterAccountHolder && (master || managesTechnician);
    case 'member.move':
      return master ? mayEdit : managesTechnician && managed(member.newTechnicianGroupId);
    case 'member.delete':
      // Whoever may disable a member may delete them, on the same terms: never oneself (a taken
      // session must not be able to erase its own account and trail), never the Master Account Holder.
      return !self && !member.isMasterAccountHolder && (master || managesTechnician);
    case 'member.resetTwoStep':
      // docs/product-behaviour.md "Force two-step verification reset": master administrators reset any member, administrators their technicians.
      return !self && (master || managesTechnician);
    default:
      return false;
  }
}
