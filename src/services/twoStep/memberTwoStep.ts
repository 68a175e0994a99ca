/**
 * A member's two-step verification status: whether they must use it (asked of the one pure rule) and
 * which factors count (active and bound in the organization's current epoch).
 */
import type { MemberRoles } from '../../core/model.ts';
import { mustUseTwoStep } from '../../core/mustUseTwoStep.ts';
import type { Db } from '../../storage/database.ts';
import type { FactorRow, MemberRow } from '../../storage/schema.ts';
import type { OrganizationPolicy } from './organizationPolicy.ts';

export const rolesOf = (member: Pick<MemberRow, 'role' | 'technician_group_id'>): MemberRoles => ({
  role: member.role === 'master_administrator' || member.role === 'administrator' ? member.role : null,
  isTechnician: member.technician_group_id !== null,
});

export async function isTwoStepRequired(
  db: Db,
  member: Pick<MemberRow, 'role' | 'technician_group_id'>,
  policy: OrganizationPolicy,
): Promise<boolean> {
  let groupEnforces = false;
  if (member.technician_group_id !== null && policy.twoStep.technicians === 'selected_groups') {
    const group = await db.selectFrom('technician_groups').select('enforce_two_step')
      .where('id', '=', member.technician_group_id).executeTakeFirst();
    groupEnforces = group?.enforce_two_step === 1;
  }
  return mustUseTwoStep(rolesOf(member), policy.twoStep, groupEnforces);
}

/** The member's factors that count now, oldest first. */
export async function activeFactors(db: Db, memberId: string, epoch: number): Promise<FactorRow[]> {
  return db.selectFrom('factors').selectAll()
    .where('member_id', '=', memberId).where('epoch', '=', epoch).where('active', '=', 1)
    .orderBy('created_at').orderBy('id').execute();
}

export function isFactorLocked(factor: Pick<FactorRow, 'locked_until' | 'locked_until_reset'>, now: Date): boolean {
  return factor.locked_until_reset === 1 || (factor.locked_until !== null && factor.locked_until > now.getTime());
}
