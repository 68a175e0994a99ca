/**
 * An invited member sets their password with the link from their invitation. The link works once:
 * it is spent by one conditional update (`... WHERE used_at IS NULL AND expires_at > now`), so two
 * requests with the same link cannot both set a password.
 *
 * A member who must use two-step verification sets the password and the first factor together
 * (docs/security.md S26): accepting opens a sign-in transaction in set-up that carries the new password,
 * and only Activate sets it and spends the link. Until then the member has no password, so nobody
 * who learns the one being chosen can sign in and bind a factor of their own first.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { MemberLanguage } from '../../core/languages.ts';
import type { ClientInfo } from '../../core/model.ts';
import { hashPassword } from '../../crypto/passwords.ts';
import { hashToken } from '../../crypto/tokens.ts';
import { lockMember } from '../access/rowLocks.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Context } from '../context.ts';
import { beginTransaction, type BeginResult } from '../signIn/begin.ts';
import { isTwoStepRequired } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { INVALID_INVITATION, spendInvitation } from './invitations.ts';
import { requireStrongEnough } from './newPassword.ts';

export interface InvitationView {
  readonly email: string;
  readonly name: string;
  readonly organizationName: string;
  readonly expiresAt: string;
  readonly minimumStrength: string;
  /** Two-step verification is set up right after the password, before the member is signed in. */
  readonly twoStepVerificationRequired: boolean;
}

export interface AcceptRequest {
  readonly token: string;
  readonly password: string;
  readonly client: ClientInfo;
  readonly ip: string | null;
  /** The language of the browser that accepts (the page's, else its Accept-Language); null: none it names. */
  readonly language?: MemberLanguage | null;
}

async function findOpenInvitation(ctx: Context, token: string) {
  const row = await ctx.db.selectFrom('invitations')
    .innerJoin('members', 'members.id', 'invitations.member_id')
    .select(['invitations.id as invitationId', 'invitations.expires_at', 'invitations.used_at',
      'members.id', 'members.name', 'members.email', 'members.role', 'members.organization_id', 'members.technician_group_id'])
    .where('invitations.token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at <= ctx.clock().getTime()) {
    throw new TwofoldError('invalid_invitation', INVALID_INVITATION);
  }
  return row;
}

/** What the set-password page shows: who is invited, where, and the password rule to meet. */
export async function describeInvitation(ctx: Context, token: string): Promise<InvitationView> {
  const invitation = await findOpenInvitation(ctx, token);
  const policy = await loadOrganizationPolicy(ctx.db, invitation.organization_id);
  return {
    email: invitation.email, name: invitation.name, organizationName: policy.name,
    expiresAt: new Date(invitation.expires_at).toISOString(), minimumStrength: policy.passwordPolicy.minimumStrength,
    twoStepVerificationRequired: await isTwoStepRequired(ctx.db, invitation, policy),
  };
}

/**
 * Accepts an invitation with the member's chosen password: `invalid_invitation` when the link is
 * unknown, used or expired. Answers null when the password is set and the link spent, or the sign-in
 * transaction that sets both up when the member must use two-step verification.
 */
export async function acceptInvitation(ctx: Context, request: AcceptRequest): Promise<BeginResult | null> {
  const invitation = await findOpenInvitation(ctx, request.token);
  const policy = await loadOrganizationPolicy(ctx.db, invitation.organization_id);
  // Checked before the link is spent: a too-weak password leaves the invitation usable.
  requireStrongEnough(request.password, policy.passwordPolicy);
  const passwordHash = await hashPassword(request.password);
  // Accepting is the member's first visit: the language they read the invitation in becomes theirs
  // (as a choice with the language selector would), so what is sent to them next is in it.
  const language = request.language ? { language: request.language } : {};
  if (await isTwoStepRequired(ctx.db, invitation, policy)) {
    // Recorded now, before the set-up: its codes and notices are already written to the member.
    if (request.language) await ctx.db.updateTable('members').set(language).where('id', '=', invitation.id).execute();
    const member = await ctx.db.selectFrom('members').selectAll().where('id', '=', invitation.id).executeTakeFirstOrThrow();
    return beginTransaction(ctx, {
      member, purpose: 'sign_in', client: request.client, ip: request.ip, newPasswordHash: passwordHash, invitationId: invitation.invitationId,
    });
  }
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    await lockMember(trx, ctx.store.engine, invitation.id);
    if (!await spendInvitation(trx, invitation.invitationId, now)) throw new TwofoldError('invalid_invitation', INVALID_INVITATION);
    await trx.updateTable('members')
      .set({ password_hash: passwordHash, password_changed_at: now.getTime(), must_change_password: 0, ...language })
      .where('id', '=', invitation.id).execute();
    await audit(trx, now, {
      organizationId: invitation.organization_id, actor: { id: invitation.id, name: invitation.name, ip: request.ip },
      entityType: memberEntityType(invitation.role), entityId: invitation.id, entityName: invitation.name,
      changeType: 'Change', details: { password: 'set', invitationAccepted: true },
    });
  });
  return null;
}
