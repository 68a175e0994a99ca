/**
 * A member changes their own password: the current password, the organization's policy, and for
 * members who must use two-step verification a fresh second factor in the same transaction
 * (docs/security.md S27). Done at once when no second factor is needed; otherwise a `password_change`
 * transaction carries the new password's hash until it completes.
 */
import { TwofoldError } from '../../core/errors.ts';
import { checkPassword } from '../../core/passwordStrength.ts';
import { hashPassword } from '../../crypto/passwords.ts';
import type { Actor, Context } from '../context.ts';
import { beginTransaction, type BeginResult } from '../signIn/begin.ts';
import { requireOwnPassword } from '../signIn/passwordAttempts.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';

export interface ChangePasswordRequest {
  readonly currentPassword: string;
  readonly newPassword: string;
  /** End the member's other sessions once the password has changed. */
  readonly endOtherSessions?: boolean | undefined;
}

export async function changePassword(ctx: Context, actor: Actor, request: ChangePasswordRequest): Promise<BeginResult> {
  const member = await ctx.db.selectFrom('members').selectAll().where('id', '=', actor.id).executeTakeFirstOrThrow();
  const policy = await loadOrganizationPolicy(ctx.db, member.organization_id);
  // Wrong current passwords count with wrong sign-in passwords: a stolen session cannot guess it.
  await requireOwnPassword(ctx, member.id, member.password_hash, request.currentPassword, 'body/currentPassword');
  const check = checkPassword(request.newPassword, policy.passwordPolicy);
  if (!check.ok) {
    throw new TwofoldError('password_too_weak', check.message, { rule: check.rule, errors: [{ field: 'body/newPassword', message: check.message }] });
  }
  if (request.newPassword === request.currentPassword) {
    throw new TwofoldError('password_reused', 'The new password must differ from the current one.');
  }
  return beginTransaction(ctx, {
    member,
    purpose: 'password_change',
    client: actor.client,
    ip: actor.ip,
    newPasswordHash: await hashPassword(request.newPassword),
    endOtherSessions: request.endOtherSessions ?? false,
    originSessionId: actor.sessionId,
  });
}
