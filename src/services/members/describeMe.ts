/** `GET /api/v1/me`: the signed-in member, their organization and their two-step verification. */
import { TwofoldError } from '../../core/errors.ts';
import { isMemberLanguage } from '../../core/languages.ts';
import { setupMethods } from '../../core/offeredFactors.ts';
import { passwordExpiry } from '../../core/passwordStrength.ts';
import type { Actor, Context } from '../context.ts';
import { policyFromRow } from '../twoStep/organizationPolicy.ts';
import { twoStepStatusOf, type FactorStatusFields } from '../twoStep/status.ts';
import { readMemberProfile, type MemberProfileRow } from './memberProfile.ts';

/**
 * The website and the Technician Console ask for this all the time: `profile` is the member's profile
 * as the guard read it with the session (one query for the whole request); without it, it is read here.
 */
export async function describeMe(ctx: Context, actor: Actor, profile?: readonly MemberProfileRow[] | null) {
  const rows = profile ?? await readMemberProfile(ctx.db, actor.id);
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
