/**
 * The member listing's filters as SQL conditions: a name or email substring, a role, and a two-step
 * verification state. The states are those of the member's record (twoStep/status.ts) and are decided
 * by the same pure rules: whether a member must use two-step verification is asked of `mustUseTwoStep`
 * once per kind of member (role × technician license × group enforcing), and the kinds it requires
 * become the condition, so the listing cannot disagree with sign-in or the report.
 */
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { MethodId } from '../../core/model.ts';
import { mustUseTwoStep } from '../../core/mustUseTwoStep.ts';
import type { Database } from '../../storage/schema.ts';
import { passwordLockedCondition } from '../signIn/passwordAttempts.ts';
import { rolesOf } from '../twoStep/memberTwoStep.ts';
import type { OrganizationPolicy } from '../twoStep/organizationPolicy.ts';

export const ROLE_FILTERS = ['master_administrator', 'administrator', 'technician'] as const;
/** `technician`: a member with no administrator role (a technician only), as the record's `role: null`. */
export type RoleFilter = (typeof ROLE_FILTERS)[number];

export const TWO_STEP_STATES = ['required', 'not_set_up', 'set_up', 'must_set_up_again', 'locked'] as const;
/**
 * `required`: must use two-step verification; `not_set_up`: must, with no usable factor (asked to set
 * it up at the next sign-in); `set_up`: has a usable factor; `must_set_up_again`: must, and every factor
 * is of a switched-off method; `locked`: a factor is locked after wrong codes, or the password after
 * wrong passwords (what the record shows as a factor's `locked` and `passwordLock`, and an
 * administrator can unlock).
 */
export type TwoStepStateFilter = (typeof TWO_STEP_STATES)[number];

type MembersEb = ExpressionBuilder<Database, 'members'>;

/**
 * `%text%` for LIKE, with LIKE's own characters (and the escape character) escaped, so a search for
 * `100%` or `a_b` matches those characters and nothing else. The value is a bound parameter.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Name or email contains `text`, ignoring case: `lower()` on both sides, so each engine folds the
 * column and the search alike (SQLite folds ASCII letters only; PostgreSQL all of them).
 */
export function matchesSearch(eb: MembersEb, text: string): Expression<SqlBool> {
  const pattern = containsPattern(text);
  return eb.or([
    sql<SqlBool>`lower(${eb.ref('members.name')}) like lower(${pattern}) escape '\\'`,
    sql<SqlBool>`lower(${eb.ref('members.email')}) like lower(${pattern}) escape '\\'`,
  ]);
}

export function hasRole(eb: MembersEb, role: RoleFilter): Expression<SqlBool> {
  return role === 'technician' ? eb('members.role', 'is', null) : eb('members.role', '=', role);
}

/** Members the organization's settings require to use two-step verification, as `mustUseTwoStep` decides. */
function isRequired(eb: MembersEb, policy: OrganizationPolicy): Expression<SqlBool> {
  const groupEnforces = eb.exists(eb.selectFrom('technician_groups as g').select('g.id')
    .whereRef('g.id', '=', 'members.technician_group_id').where('g.enforce_two_step', '=', 1));
  const licenses = [
    { technicianGroupId: null, enforces: false, condition: eb('members.technician_group_id', 'is', null) },
    { technicianGroupId: 'any', enforces: true, condition: eb.and([eb('members.technician_group_id', 'is not', null), groupEnforces]) },
    { technicianGroupId: 'any', enforces: false, condition: eb.and([eb('members.technician_group_id', 'is not', null), eb.not(groupEnforces)]) },
  ];
  const kinds: Expression<SqlBool>[] = [];
  for (const role of ['master_administrator', 'administrator', null] as const) {
    for (const license of licenses) {
      if (!mustUseTwoStep(rolesOf({ role, technician_group_id: license.technicianGroupId }), policy.twoStep, license.enforces)) continue;
      kinds.push(eb.and([role === null ? eb('members.role', 'is', null) : eb('members.role', '=', role), license.condition]));
    }
  }
  return kinds.length > 0 ? eb.or(kinds) : sql<SqlBool>`1 = 0`;
}

/** The member has an active factor of the current epoch, of these methods (all when omitted), locked if asked. */
function hasFactor(eb: MembersEb, policy: OrganizationPolicy, options: { methods?: readonly MethodId[]; lockedAt?: Date } = {}): Expression<SqlBool> {
  let factors = eb.selectFrom('factors as f').select('f.id')
    .whereRef('f.member_id', '=', 'members.id').where('f.epoch', '=', policy.epoch).where('f.active', '=', 1);
  if (options.methods) factors = factors.where('f.type', 'in', options.methods.length > 0 ? [...options.methods] : ['']);
  const lockedAt = options.lockedAt?.getTime();
  if (lockedAt !== undefined) {
    factors = factors.where((f) => f.or([f('f.locked_until_reset', '=', 1), f('f.locked_until', '>', lockedAt)]));
  }
  return eb.exists(factors);
}

/** The member has an active factor of the current epoch locked now (after wrong codes). */
export const hasLockedFactor = (eb: MembersEb, policy: OrganizationPolicy, now: Date): Expression<SqlBool> => hasFactor(eb, policy, { lockedAt: now });

export function inTwoStepState(eb: MembersEb, state: TwoStepStateFilter, policy: OrganizationPolicy, now: Date): Expression<SqlBool> {
  const usable = () => hasFactor(eb, policy, { methods: policy.twoStep.allowedMethods });
  switch (state) {
    case 'required': return isRequired(eb, policy);
    case 'not_set_up': return eb.and([isRequired(eb, policy), eb.not(usable())]);
    case 'set_up': return usable();
    case 'must_set_up_again': return eb.and([isRequired(eb, policy), eb.not(usable()), hasFactor(eb, policy)]);
    case 'locked': return eb.or([hasFactor(eb, policy, { lockedAt: now }), passwordLockedCondition(eb, now)]);
  }
}
