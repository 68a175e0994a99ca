/** `GET /api/v1/me`: the signed-in member, their organization and their two-step verification. */
import { isMemberLanguage } from '../../core/languages.ts';
import { passwordExpiry } from '../../core/passwordStrength.ts';
import type { Actor, Context } from '../context.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { twoStepStatus } from '../twoStep/status.ts';

export async function describeMe(ctx: Context, actor: Actor) {
  const member = await ctx.db.selectFrom('members').selectAll().where('id', '=', actor.id).executeTakeFirstOrThrow();
  const policy = await loadOrganizationPolicy(ctx.db, member.organization_id);
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
    },
    twoStepVerification: await twoStepStatus(ctx.db, member, policy, now),
    language: isMemberLanguage(member.language) ? member.language : null,
  };
}
