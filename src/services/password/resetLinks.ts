/**
 * Password reset links: one pending per member, valid for an hour, a new one replacing the old. The
 * token is a capability sent by email; only its SHA-256 is stored. Spending it is one conditional
 * delete, so of two requests with the same link at most one can.
 */
import type { Kysely } from 'kysely';
import { hashToken, newToken } from '../../crypto/tokens.ts';
import type { Database } from '../../storage/schema.ts';

export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

export const INVALID_PASSWORD_RESET = 'This password reset link is not valid: it may have been used, replaced by a newer one, or have expired. Ask for a new one.';

/** Records a new link for `memberId`, replacing any pending one; returns its token and expiry. */
export async function createResetLink(db: Kysely<Database>, memberId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
  const row = { member_id: memberId, token_hash: hashToken(token), created_at: now.getTime(), expires_at: expiresAt.getTime() };
  await db.insertInto('password_resets').values(row)
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ token_hash: row.token_hash, created_at: row.created_at, expires_at: row.expires_at }))
    .execute();
  return { token, expiresAt };
}

/** The member an open link is for, or undefined when the token is unknown, replaced or expired. */
export async function findOpenResetLink(db: Kysely<Database>, token: string, now: Date) {
  return db.selectFrom('password_resets').select(['member_id', 'token_hash', 'expires_at'])
    .where('token_hash', '=', hashToken(token)).where('expires_at', '>', now.getTime()).executeTakeFirst();
}

/** Whether the link whose token hashes to `tokenHash` is still the member's open one. */
export async function resetLinkOpen(db: Kysely<Database>, memberId: string, tokenHash: string, now: Date): Promise<boolean> {
  const row = await db.selectFrom('password_resets').select('member_id')
    .where('member_id', '=', memberId).where('token_hash', '=', tokenHash).where('expires_at', '>', now.getTime()).executeTakeFirst();
  return row !== undefined;
}

/** Spends the link whose token hashes to `tokenHash` if it is still the member's open one. */
export async function spendResetLink(db: Kysely<Database>, memberId: string, tokenHash: string, now: Date): Promise<boolean> {
  const spent = await db.deleteFrom('password_resets')
    .where('member_id', '=', memberId).where('token_hash', '=', tokenHash).where('expires_at', '>', now.getTime())
    .executeTakeFirst();
  return Number(spent.numDeletedRows) === 1;
}

/** Ends members' pending links, e.g. once a password has been set another way. */
export async function dropResetLinks(db: Kysely<Database>, memberIds: readonly string[]): Promise<void> {
  if (memberIds.length === 0) return;
  await db.deleteFrom('password_resets').where('member_id', 'in', [...memberIds]).execute();
}
