/**
 * Who must use two-step verification: the one rule every other part asks (docs/design.md "One rule decides who
 * must use two-step verification"). Sign-in, password change, reports and the settings preview call this and
 * nothing else decides.
 */
import type { MemberRoles, TwoStepSettings } from './model.ts';

/** The part of the settings that selects members; the method settings do not matter here. */
export type EnforcementSettings = Pick<
  TwoStepSettings,
  'masterAdministrators' | 'administrators' | 'technicians'
>;

/**
 * Whether `member` must use two-step verification when signing in or changing their password.
 *
 * The member must use it as soon as any role or license they hold is selected (docs/product-behaviour.md G3: a member
 * with both an administrator and a technician license must use it when the setting selects them in
 * either role):
 * - a master administrator, when master administrators are selected;
 * - an administrator, when administrators are selected;
 * - a technician (a member with a technician license, whatever their role), when technicians are
 *   `all`, or `selected_groups` and their group enforces it.
 *
 * @param member - the role and licenses the member holds.
 * @param settings - the organization's Global Settings → Two-step verification selection.
 * @param groupEnforces - the effective "Enforce two-step verification" checkbox of the member's
 *   technician group. Only read for technicians under `selected_groups`; pass `false` for members
 *   without a technician license.
 */
export function mustUseTwoStep(
  member: MemberRoles,
  settings: EnforcementSettings,
  groupEnforces: boolean,
): boolean {
  if (member.role === 'master_administrator' && settings.masterAdministrators) return true;
  if (member.role === 'administrator' && settings.administrators) return true;
  if (member.isTechnician) {
    switch (settings.technicians) {
      case 'all':
        return true;
      case 'selected_groups':
        // docs/product-behaviour.md G4: with "Members of selected Technician Group(s)" the group's checkbox decides.
        return groupEnforces;
      case 'none':
        return false;
    }
  }
  return false;
}
