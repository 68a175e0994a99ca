/**
 * A member's two-step verification status: whether they must use it (asked of the one pure rule) and
 * which factors count (active and bound in the organization's current epoch).
 */
import type { MemberRoles } from '../../core/model.ts';
import { mustUseTwoStep } from '../../core/mustUseTwoStep.ts';
import type { Db } from '../../storage/database.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { FactorRow, MemberRow } from '../../storage/schema.ts';
import type { OrganizationPolicy } from './organizationPolicy.ts';
import { activeIn } from '../../storage/factorStates.ts';

export const rolesOf = (member: Pick<MemberRow, 'role' | 'technician_group_id'>): MemberRoles => ({
  role: member.role === 'master_administrator' || member.role === 'administrator' ? member.role : null,
  isTechnician: member.technician_group_id !== null,
});

const groupEnforcement = prepareQuery((db, p: { id: string }) => db.selectFrom('technician_groups').select('enforce_two_step').where('id', '=', p.id));

/** Whether the member's technician group asks for two-step verification and the settings let groups decide. */
export async function technicianGroupEnforces(
  db: Db, member: Pick<MemberRow, 'technician_group_id'>, policy: OrganizationPolicy,
): Promise<boolean> {
  if (member.technician_group_id === null || policy.twoStep.technicians !== 'selected_groups') return false;
  const group = await groupEnforcement.first(db, { id: member.technician_group_id });
  return group?.enforce_two_step === 1;
}

export async function isTwoStepRequired(
  db: Db,
  member: Pick<MemberRow, 'role' | 'technician_group_id'>,
  policy: OrganizationPolicy,
): Promise<boolean> {
  return mustUseTwoStep(rolesOf(member), policy.twoStep, await technicianGroupEnforces(db, member, policy));
}

/** The member's factors that count now, oldest first. */
const activeFactorsOf = prepareQuery((db, p: { memberId: string; epoch: number }) => db.selectFrom('factors').selectAll()
  .where('member_id', '=', p.memberId).where(activeIn(p.epoch))
  .orderBy('created_at').orderBy('id'));

export async function activeFactors(db: Db, memberId: string, epoch: number): Promise<FactorRow[]> {
  return (await activeFactorsOf.execute(db, { memberId, epoch })).rows;
}

const activeFactorOf = prepareQuery((db, p: { id: string; memberId: string; epoch: number }) => db.selectFrom('factors').selectAll()
  .where('id', '=', p.id).where('member_id', '=', p.memberId).where(activeIn(p.epoch)));

/** One of the member's factors that count now, or undefined (someone else's factor is not found). */
export async function activeFactor(db: Db, memberId: string, factorId: string, epoch: number): Promise<FactorRow | undefined> {
  return activeFactorOf.first(db, { id: factorId, memberId, epoch });
}

export function isFactorLocked(factor: Pick<FactorRow, 'locked_until' | 'locked_until_reset'>, now: Date): boolean {
  return factor.locked_until_reset === 1 || (factor.locked_until !== null && factor.locked_until > now.getTime());
}
