/** `GET /api/v1/me`: the signed-in member, their organization and their two-step verification. */
import { TwofoldError } from '../../core/errors.ts';
import { isMemberLanguage } from '../../core/languages.ts';
import { setupMethods } from '../../core/offeredFactors.ts';
import { passwordExpiry } from '../../core/passwordStrength.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { Actor, Context } from '../context.ts';
import { activeFactors } from '../twoStep/memberTwoStep.ts';
import { policyFromRow } from '../twoStep/organizationPolicy.ts';
import { twoStepStatusOf } from '../twoStep/status.ts';

/** The member, their organization's settings and whether their technician group enforces two-step verification. */
const memberWithPolicy = prepareQuery((db, p: { id: string }) => db.selectFrom('members')
  .innerJoin('organizations', 'organizations.id', 'members.organization_id')
  .leftJoin('technician_groups', 'technician_groups.id', 'members.technician_group_id')
  .selectAll('organizations')
  .select([
    'members.id as member_id', 'members.name as member_name', 'members.email', 'members.role', 'members.technician_group_id',
    'members.must_change_password', 'members.password_changed_at', 'members.created_at as member_created_at', 'members.language',
    'technician_groups.enforce_two_step as group_enforces',
  ])
  .where('members.id', '=', p.id));

/**
 * The website asks for this all the time, so it costs two prepared queries by primary key and index
 * (besides the guard's): the member with their organization and group in one, their factors in the
 * current epoch in the other.
 */
export async function describeMe(ctx: Context, actor: Actor) {
  const row = await memberWithPolicy.first(ctx.db, { id: actor.id });
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
    twoStepVerification: twoStepStatusOf(member, await activeFactors(ctx.db, member.id, policy.epoch), groupEnforces, policy, now),
    // What adding a method (`POST /api/v1/me/factors`) accepts from this client, so a page offers only those.
    allowedMethods: setupMethods(policy.twoStep, actor.client),
    language: isMemberLanguage(row.language) ? row.language : null,
  };
}
