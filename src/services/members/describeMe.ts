/** `GET /api/v1/me`: the signed-in member, their organization and their two-step verification. */
import { TwofoldError } from '../../core/errors.ts';
import { isMemberLanguage } from '../../core/languages.ts';
import { setupMethods } from '../../core/offeredFactors.ts';
import { passwordExpiry } from '../../core/passwordStrength.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { Actor, Context } from '../context.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { twoStepStatus } from '../twoStep/status.ts';

const memberById = prepareQuery((db, p: { id: string }) => db.selectFrom('members').selectAll().where('id', '=', p.id));

/**
 * The website asks for this all the time, so its queries are prepared, and the two reads that do not
 * depend on each other run side by side (on PostgreSQL, two connections of the pool at once).
 */
export async function describeMe(ctx: Context, actor: Actor) {
  const [member, policy] = await Promise.all([memberById.first(ctx.db, { id: actor.id }), loadOrganizationPolicy(ctx.db, actor.organizationId)]);
  if (!member) throw new TwofoldError('unauthenticated', 'Sign in to continue.');
  const now = ctx.clock();
  const expiry = passwordExpiry(new Date(member.password_changed_at ?? member.created_at), policy.passwordPolicy, now);
  return {
    id: member.id,
    name: member.name,
    email: member.email,
    role: member.role,
    technicianGroupId: member.technician_group_id,
    masterAccountHolder: policy.masterAccountHolderId === member.id,
    organization: { id: policy.id, name: policy.name },
    password: {
      mustChange: member.must_change_password === 1 || expiry.expired,
      expiresAt: expiry.expiresAt?.toISOString() ?? null,
      expiryNoticeDue: expiry.noticeDue,
      minimumStrength: policy.passwordPolicy.minimumStrength,
    },
    twoStepVerification: await twoStepStatus(ctx.db, member, policy, now),
    // What adding a method (`POST /api/v1/me/factors`) accepts from this client, so a page offers only those.
    allowedMethods: setupMethods(policy.twoStep, actor.client),
    language: isMemberLanguage(member.language) ? member.language : null,
  };
}
