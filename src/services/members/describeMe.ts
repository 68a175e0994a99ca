/** `GET /api/v1/me`: the signed-in member, their organization and their two-step verification. */
import { TwofoldError } from '../../core/errors.ts';
import { isMemberLanguage } from '../../core/languages.ts';
import { setupMethods } from '../../core/offeredFactors.ts';
import { passwordExpiry } from '../../core/passwordStrength.ts';
import { activeInOrganizationEpoch } from '../../storage/factorStates.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { Actor, Context } from '../context.ts';
import { policyFromRow } from '../twoStep/organizationPolicy.ts';
import { twoStepStatusOf, type FactorStatusFields } from '../twoStep/status.ts';

/**
 * The member, their organization's settings, whether their technician group enforces two-step
 * verification, and their factors that count now: one row per factor (one row with no factor when they
 * have none), oldest first.
 */
const memberWithPolicyAndFactors = prepareQuery((db, p: { id: string }) => db.selectFrom('members')
  .innerJoin('organizations', 'organizations.id', 'members.organization_id')
  .leftJoin('technician_groups', 'technician_groups.id', 'members.technician_group_id')
  .leftJoin('factors', activeInOrganizationEpoch)
  .selectAll('organizations')
  .select([
    'members.id as member_id', 'members.name as member_name', 'members.email', 'members.role', 'members.technician_group_id',
    'members.must_change_password', 'members.password_changed_at', 'members.created_at as member_created_at', 'members.language',
    'technician_groups.enforce_two_step as group_enforces',
    'factors.id as factor_id', 'factors.type as factor_type', 'factors.label as factor_label', 'factors.locked_until as factor_locked_until',
    'factors.locked_until_reset as factor_locked_until_reset', 'factors.created_at as factor_created_at',
  ])
  .where('members.id', '=', p.id)
  .orderBy('factors.created_at').orderBy('factors.id'));

/**
 * The website asks for this all the time, so it costs one prepared query by primary key and indexes
 * (besides the guard's).
 */
export async function describeMe(ctx: Context, actor: Actor) {
  const rows = (await memberWithPolicyAndFactors.execute(ctx.db, { id: actor.id })).rows;
  const row = rows[0];
  if (!row) throw new TwofoldError('unauthenticated', 'Sign in to continue.');
  const policy = policyFromRow(row);
  const member = { id: row.member_id, role: row.role, technician_group_id: row.technician_group_id };
  const now = ctx.clock();
  const expiry = passwordExpiry(new Date(row.password_changed_at ?? row.member_created_at), policy.passwordPolicy, now);
  const groupEnforces = policy.twoStep.technicians === 'selected_groups' && row.group_enforces === 1;
  return {
    id: row.member_id,
    name: row.member_name,
    email: row.email,
    role: row.role,
    technicianGroupId: row.technician_group_id,
    masterAccountHolder: policy.masterAccountHolderId === row.member_id,
    organization: { id: policy.id, name: policy.name },
    password: {
      mustChange: row.must_change_password === 1 || expiry.expired,
      expiresAt: expiry.expiresAt?.toISOString() ?? null,
      expiryNoticeDue: expiry.noticeDue,
      minimumStrength: policy.passwordPolicy.minimumStrength,
    },
    twoStepVerification: twoStepStatusOf(member, factorsOf(rows), groupEnforces, policy, now),
    // What adding a method (`POST /api/v1/me/factors`) accepts from this client, so a page offers only those.
    allowedMethods: setupMethods(policy.twoStep, actor.client),
    language: isMemberLanguage(row.language) ? row.language : null,
  };
}

type FactorColumns = { factor_id: string | null; factor_type: string | null; factor_label: string | null; factor_locked_until: number | null;
  factor_locked_until_reset: number | null; factor_created_at: number | null };

/** The factors of the joined rows: none when the only row has no factor. */
function factorsOf(rows: readonly FactorColumns[]): FactorStatusFields[] {
  return rows.flatMap((row) => (row.factor_id === null ? [] : [{
    id: row.factor_id, type: row.factor_type!, label: row.factor_label!, locked_until: row.factor_locked_until,
    locked_until_reset: row.factor_locked_until_reset!, created_at: row.factor_created_at!,
  }]));
}
