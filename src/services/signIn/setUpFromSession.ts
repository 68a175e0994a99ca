/**
 * Setting two-step verification up from a session that passed the password alone, once the member
 * must use it (the guard holds such a session with `two_step_setup_required`). The password is given
 * again, exactly as at sign-in, and opens the same sign-in transaction a sign-in would: the session
 * itself, which may have been taken, adds nothing, so the set-up's rules (a pending setup code holds
 * it back, its order, Activate) are the sign-in's. Activate's session replaces the held one.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { Actor, Context } from '../context.ts';
import { beginTransaction, type BeginResult } from './begin.ts';
import { requireOwnPassword } from './passwordAttempts.ts';

export async function setUpFromSession(ctx: Context, actor: Actor, password: string, ip: string): Promise<BeginResult> {
  if (!actor.twoStepSetupRequired) {
    throw new TwofoldError('conflict', 'This session needs no set-up: add methods from your account (POST /api/v1/me/factors).');
  }
  const member = await ctx.db.selectFrom('members').selectAll().where('id', '=', actor.id).executeTakeFirstOrThrow();
  // Counted with wrong sign-in passwords: ten lock both.
  await requireOwnPassword(ctx, actor.id, member.password_hash, password, 'body/password');
  return beginTransaction(ctx, { member, purpose: 'sign_in', client: actor.client, ip, originSessionId: actor.sessionId });
}
