/**
 * A member changes their own password: the current password, the organization's policy, and for
 * members who must use two-step verification a fresh second factor in the same transaction
 * (security.md 27). Done at once when no second factor is needed; otherwise a `password_change`
 * transaction carries the new password's hash until it completes.
 */
import { TwofoldError } from '../../core/errors.ts';
import { checkPassword } from '../../core/passwordStrength.ts';
import { hashPassword, verifyPassword } from '../../crypto/passwords.ts';
import type { Actor, Context } from '../context.ts';
import { beginTransaction, type BeginResult } from '../signIn/begin.ts';
import { countPasswordAttempt, memberFailureKey } from '../signIn/passwordAttempts.ts';
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
  // Wrong current passwords count with wrong sign-in passwords, counted before the hash: a stolen
  // session cannot guess it, not even with parallel requests.
  const attempt = await countPasswordAttempt(ctx, { key: memberFailureKey(member.id) });
  if (attempt.locked) {
    await attempt.notTried();
    throw new TwofoldError('rate_limited', 'Too many wrong passwords. Try again later.', { retryAfterSeconds: attempt.retryAfterSeconds });
  }
  let currentOk: boolean;
  try {
    currentOk = member.password_hash !== null && await verifyPassword(member.password_hash, request.currentPassword);
  } catch (error) {
    await attempt.notTried();
    throw error;
  }
  if (!currentOk) {
    throw new TwofoldError('invalid_credentials', 'The current password is not correct.', {
      errors: [{ field: 'body/currentPassword', message: 'is not correct' }],
    });
  }
  await attempt.succeeded();
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
