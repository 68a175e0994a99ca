/**
 * Invitations: a single-use link, valid for 7 days, with which a new member sets their own
 * password. The token is a capability: only its SHA-256 is stored.
 */
import type { Kysely } from 'kysely';
import { hashToken, newId, newToken } from '../../crypto/tokens.ts';
import { invitationMessage } from '../../delivery/messages.ts';
import type { Database } from '../../storage/schema.ts';
import type { Context } from '../context.ts';
import { pageLink } from '../pageLinks.ts';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const INVALID_INVITATION = 'This invitation link is not valid: it may have been used or have expired. Ask your administrator for a new one.';

export interface NewInvitation {
  readonly token: string;
  readonly expiresAt: Date;
}

/** Records an invitation; call inside the transaction that creates the member. */
export async function createInvitation(trx: Kysely<Database>, memberId: string, now: Date): Promise<NewInvitation> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  await trx.insertInto('invitations').values({
    id: newId(), token_hash: hashToken(token), member_id: memberId, created_at: now.getTime(), expires_at: expiresAt.getTime(), used_at: null,
  }).execute();
  return { token, expiresAt };
}

export function invitationLink(ctx: Context, token: string): string {
  return pageLink(ctx, `/invitations/${token}`);
}

/**
 * Emails the invitation, after the member's transaction has committed. Best effort: the member
 * exists either way, and a failure is logged (without the link) so an administrator can invite
 * again. Answers whether the message was handed over.
 */
export async function sendInvitation(
  ctx: Context, to: string, language: string | null, organizationName: string, invitation: NewInvitation,
): Promise<boolean> {
  try {
    await ctx.senders.email.send(invitationMessage({ to, language, organizationName, link: invitationLink(ctx, invitation.token), expiresAt: invitation.expiresAt }));
    return true;
  } catch (error) {
    ctx.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'an invitation could not be sent');
    return false;
  }
}

/**
 * Spends invitation `invitationId` if it is still open: one conditional update, so of two requests
 * with the same link only one can. Answers whether this call spent it.
 */
export async function spendInvitation(trx: Kysely<Database>, invitationId: string, now: Date): Promise<boolean> {
  const spent = await trx.updateTable('invitations').set({ used_at: now.getTime() })
    .where('id', '=', invitationId).where('used_at', 'is', null).where('expires_at', '>', now.getTime())
    .executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}

/** Whether invitation `invitationId` is still open: not used, not closed, not expired. */
export async function invitationOpen(db: Kysely<Database>, invitationId: string, now: Date): Promise<boolean> {
  const row = await db.selectFrom('invitations').select('id')
    .where('id', '=', invitationId).where('used_at', 'is', null).where('expires_at', '>', now.getTime()).executeTakeFirst();
  return row !== undefined;
}

/** Ends a member's open invitations, e.g. once an administrator has set their password. */
export async function revokeInvitations(trx: Kysely<Database>, memberId: string, now: Date): Promise<void> {
  await trx.updateTable('invitations').set({ used_at: now.getTime() })
    .where('member_id', '=', memberId).where('used_at', 'is', null).execute();
}
