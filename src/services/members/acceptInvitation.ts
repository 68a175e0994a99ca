/**
 * An invited member sets their password with the link from their invitation. The link works once:
 * it is spent by one conditional update (`... WHERE used_at IS NULL AND expires_at > now`), so two
 * requests with the same link cannot both set a password.
 */
import { TwofoldError } from '../../core/errors.ts';
import { hashPassword } from '../../crypto/passwords.ts';
import { hashToken } from '../../crypto/tokens.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Context } from '../context.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { requireStrongEnough } from './newPassword.ts';

export interface InvitationView {
  readonly email: string;
  readonly name: string;
  readonly organizationName: string;
  readonly expiresAt: string;
  readonly minimumStrength: string;
}

const INVALID = 'This invitation link is not valid: it may have been used or have expired. Ask your administrator for a new one.';

async function findOpenInvitation(ctx: Context, token: string) {
  const row = await ctx.db.selectFrom('invitations')
    .innerJoin('members', 'members.id', 'invitations.member_id')
    .select(['invitations.id as invitationId', 'invitations.expires_at', 'invitations.used_at',
      'members.id', 'members.name', 'members.email', 'members.role', 'members.organization_id'])
    .where('invitations.token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at <= ctx.clock().getTime()) {
    throw new TwofoldError('invalid_invitation', INVALID);
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
  };
}

/** Sets the invited member's password and spends the invitation; `invalid_invitation` when unknown, used or expired. */
export async function acceptInvitation(ctx: Context, token: string, password: string): Promise<void> {
  const invitation = await findOpenInvitation(ctx, token);
  const policy = await loadOrganizationPolicy(ctx.db, invitation.organization_id);
  // Checked before the link is spent: a too-weak password leaves the invitation usable.
  requireStrongEnough(password, policy.passwordPolicy);
  const passwordHash = await hashPassword(password);
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const spent = await trx.updateTable('invitations').set({ used_at: now.getTime() })
      .where('id', '=', invitation.invitationId).where('used_at', 'is', null).where('expires_at', '>', now.getTime())
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw new TwofoldError('invalid_invitation', INVALID);
    await trx.updateTable('members')
      .set({ password_hash: passwordHash, password_changed_at: now.getTime(), must_change_password: 0 })
      .where('id', '=', invitation.id).execute();
    await audit(trx, now, {
      organizationId: invitation.organization_id, actor: { id: invitation.id, name: invitation.name },
      entityType: memberEntityType(invitation.role), entityId: invitation.id, entityName: invitation.name,
      changeType: 'Change', details: { password: 'set', invitationAccepted: true },
    });
  });
}
