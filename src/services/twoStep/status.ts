/**
 * A member's two-step verification as administrators and the member see it:
 * `{ required, factors, locked }` (the API contract), computed for one member or a page of them.
 */
import type { MethodId } from '../../core/model.ts';
import { mustUseTwoStep } from '../../core/mustUseTwoStep.ts';
import { hasUsableFactor, mustSetUpAgain } from '../../core/switchedOff.ts';
import type { Db } from '../../storage/database.ts';
import type { FactorRow, MemberRow } from '../../storage/schema.ts';
import { isFactorLocked, rolesOf } from './memberTwoStep.ts';
import type { OrganizationPolicy } from './organizationPolicy.ts';

export interface TwoStepStatus {
  readonly required: boolean;
  /** True once the member has an active factor in the current epoch, of a method the organization allows. */
  readonly setUp: boolean;
  /**
   * Required, with factors, but all of methods the organization has since switched off: their next
   * sign-in sets an allowed method up after a proof (core/switchedOff.ts).
   */
  readonly mustSetUpAgain: boolean;
  readonly factors: Array<{
    id: string; type: MethodId; label: string; locked: boolean; lockedUntil: string | null; createdAt: string;
    /** False for a factor of a method switched off since: it is kept, but cannot be used to verify. */
    methodAllowed: boolean;
  }>;
  /** Some factor is locked by failed codes; time, an administrator's unlock or a reset ends it. */
  readonly locked: boolean;
}

export async function twoStepStatuses(
  db: Db,
  members: ReadonlyArray<Pick<MemberRow, 'id' | 'role' | 'technician_group_id'>>,
  policy: OrganizationPolicy,
  now: Date,
): Promise<Map<string, TwoStepStatus>> {
  const result = new Map<string, TwoStepStatus>();
  if (members.length === 0) return result;
  const ids = members.map((m) => m.id);
  const groupIds = [...new Set(members.map((m) => m.technician_group_id).filter((g): g is string => g !== null))];
  const [factors, groups] = await Promise.all([
    db.selectFrom('factors').selectAll().where('member_id', 'in', ids).where('epoch', '=', policy.epoch)
      .where('active', '=', 1).orderBy('created_at').execute(),
    groupIds.length > 0
      ? db.selectFrom('technician_groups').select(['id', 'enforce_two_step']).where('id', 'in', groupIds).execute()
      : Promise.resolve([]),
  ]);
  const enforcing = new Set(groups.filter((g) => g.enforce_two_step === 1).map((g) => g.id));
  for (const member of members) {
    const groupEnforces = member.technician_group_id !== null && enforcing.has(member.technician_group_id);
    result.set(member.id, twoStepStatusOf(member, factors.filter((f) => f.member_id === member.id), groupEnforces, policy, now));
  }
  return result;
}

/** What a member's status needs of each of their factors: no secret, no destination. */
export type FactorStatusFields = Pick<FactorRow, 'id' | 'type' | 'label' | 'locked_until' | 'locked_until_reset' | 'created_at'>;

/** One member's status from their active factors (oldest first) and whether their group enforces it. */
export function twoStepStatusOf(
  member: Pick<MemberRow, 'role' | 'technician_group_id'>, factors: readonly FactorStatusFields[], groupEnforces: boolean, policy: OrganizationPolicy, now: Date,
): TwoStepStatus {
  const own = factors.map((f) => {
    const locked = isFactorLocked(f, now);
    return {
      id: f.id, type: f.type as MethodId, label: f.label, locked,
      lockedUntil: f.locked_until_reset === 1 ? null : locked && f.locked_until ? new Date(f.locked_until).toISOString() : null,
      createdAt: new Date(f.created_at).toISOString(),
      methodAllowed: policy.twoStep.allowedMethods.includes(f.type as MethodId),
    };
  });
  const required = mustUseTwoStep(rolesOf(member), policy.twoStep, groupEnforces);
  const methods = own.map((f) => f.type);
  return {
    required,
    setUp: hasUsableFactor(methods, policy.twoStep.allowedMethods),
    mustSetUpAgain: mustSetUpAgain({ required, methods }, policy.twoStep.allowedMethods),
    factors: own,
    locked: own.some((f) => f.locked),
  };
}
