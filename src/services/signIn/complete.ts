/**
 * What a transaction does when it completes: a sign-in issues a session, a password change applies the
 * new password. Runs inside the database transaction that marks the transaction complete, so a
 * transaction completes once and its effect happens once.
 */
import { TwofoldError } from '../../core/errors.ts';
import { passwordChangedNotice } from '../../delivery/messages.ts';
import type { Message } from '../../delivery/ports.ts';
import type { Db } from '../../storage/database.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { TransactionRow } from '../../storage/schema.ts';
import { lockMember } from '../access/rowLocks.ts';
import { audit, memberEntityType, type AuditEntry } from '../audit.ts';
import type { Context } from '../context.ts';
import { INVALID_INVITATION, invitationOpen, spendInvitation } from '../members/invitations.ts';
import { INVALID_PASSWORD_RESET, dropResetLinks, resetLinkOpen, spendResetLink } from '../password/resetLinks.ts';
import { issueSession, revokeMemberSessions, type IssuedSession } from '../sessions.ts';
import { throwClosed, transactionOpen } from './attempts.ts';
import { clearPasswordFailures } from './passwordAttempts.ts';
import { endOpenTransactions, type TransactionMember } from './transactionRecord.ts';
import { memberLanguage } from '../members/memberLanguage.ts';

export interface Completion {
  readonly session?: IssuedSession;
  /** Notices to send once the change is committed. */
  readonly notices: Message[];
}

const markComplete = prepareQuery((db, p: { id: string; fromState: 'verify' | 'setup'; now: number }) => db.updateTable('transactions')
  .set({ state: 'complete', completed_at: p.now })
  .where('id', '=', p.id).where((eb) => transactionOpen(eb, p.fromState, p.now)));

const memberWithOrganization = prepareQuery((db, p: { id: string }) => db.selectFrom('members')
  .innerJoin('organizations', 'organizations.id', 'members.organization_id')
  .select(['members.id', 'members.organization_id', 'members.name', 'members.email', 'members.role', 'members.enabled', 'organizations.name as organizationName'])
  .where('members.id', '=', p.id));

async function sessionIsLive(trx: Db, sessionId: string, now: Date): Promise<boolean> {
  const session = await trx.selectFrom('sessions').select(['revoked_at', 'expires_at']).where('id', '=', sessionId).executeTakeFirst();
  return session !== undefined && session.revoked_at === null && session.expires_at > now.getTime();
}

/**
 * The password an invitation's sign-in was started with becomes the member's password, in the
 * database transaction that binds the first factors (docs/security.md S26): until then the member has no
 * password anyone could sign in with. The link is spent here, so of two set-ups begun with it (or
 * with a link an administrator has since closed) at most one completes.
 */
async function acceptInvitationWith(
  trx: Db, row: TransactionRow, invitationId: string, entity: Omit<AuditEntry, 'changeType' | 'details'>, now: Date,
): Promise<void> {
  if (!row.new_password_hash || !await spendInvitation(trx, invitationId, now)) {
    throw new TwofoldError('invalid_invitation', INVALID_INVITATION);
  }
  // Another set-up begun with the same link can no longer complete: it ends rather than stays open.
  await setNewPassword(trx, row, row.new_password_hash, now);
  await audit(trx, now, { ...entity, changeType: 'Change', details: { password: 'set', invitationAccepted: true } });
}

/**
 * Makes the transaction's new password the member's. The hash has then done its job and is not kept
 * beside the transaction; the member's other sign-ins and changes under way were started with the old
 * password, and a reset link asked for before would undo this one: they end.
 */
async function setNewPassword(trx: Db, row: TransactionRow, passwordHash: string, now: Date): Promise<void> {
  await trx.updateTable('members').set({ password_hash: passwordHash, password_changed_at: now.getTime(), must_change_password: 0 })
    .where('id', '=', row.member_id).execute();
  await trx.updateTable('transactions').set({ new_password_hash: null }).where('id', '=', row.id).execute();
  await endOpenTransactions(trx, [row.member_id], row.id);
  await dropResetLinks(trx, [row.member_id]);
}

/**
 * For a transaction that completes an emailed link (an invitation, a password reset), before any code
 * is tried: once the link is used, replaced, closed or expired the transaction can never complete, so
 * it ends here, committed with the answer, instead of answering a right code with an error and leaving
 * that code unused (which would tell right codes from wrong ones). Null while the link is open.
 */
export async function endIfLinkClosed(trx: Db, row: TransactionRow, now: Date): Promise<TwofoldError | null> {
  let closed: TwofoldError | null = null;
  if (row.invitation_id !== null && !await invitationOpen(trx, row.invitation_id, now)) {
    closed = new TwofoldError('invalid_invitation', INVALID_INVITATION);
  } else if (row.password_reset_hash !== null && !await resetLinkOpen(trx, row.member_id, row.password_reset_hash, now)) {
    closed = new TwofoldError('invalid_password_reset', INVALID_PASSWORD_RESET);
  }
  if (!closed) return null;
  // Read before the member's lock: a racing request may have completed or ended it since, and then
  // says so itself (transaction_completed) when this one goes on.
  const ended = await trx.updateTable('transactions').set({ state: 'expired' })
    .where('id', '=', row.id).where('completed_at', 'is', null).where('state', 'in', ['verify', 'setup']).executeTakeFirst();
  return Number(ended.numUpdatedRows) === 1 ? closed : null;
}

/**
 * Marks `row` complete if it is still open in `fromState`, and applies its effect.
 * @throws TwofoldError `transaction_completed` when a racing request completed it first.
 */
export async function completeTransaction(
  ctx: Context,
  trx: Db,
  row: TransactionRow,
  fromState: 'verify' | 'setup' | 'new',
  /** The member and organization name when the caller read them in this database transaction. */
  known?: { member: TransactionMember; organizationName: string },
): Promise<Completion> {
  const now = ctx.clock();
  // A completion that sets a password ends the member's other transactions: it holds the member's
  // row first, so two completing at once are ordered instead of each waiting on the other's rows.
  if (row.purpose === 'password_change' || row.invitation_id !== null) await lockMember(trx, ctx.store.engine, row.member_id);
  if (fromState !== 'new') {
    // Completes only an open transaction: not failed, not expired, not completed by a racing request.
    const marked = await markComplete.affected(trx, { id: row.id, fromState, now: now.getTime() });
    if (marked !== 1) await throwClosed(trx, row, fromState, now);
  }
  const member = known ? { ...known.member, organizationName: known.organizationName } : await memberWithOrganization.first(trx, { id: row.member_id });
  if (!member) throw new TwofoldError('not_found', 'No such member.');
  if (member.enabled !== 1) throw new TwofoldError('invalid_credentials', 'The email or password is not correct.');
  const actor = { id: member.id, name: member.name, ip: row.ip };
  const entity = { organizationId: member.organization_id, actor, entityType: memberEntityType(member.role), entityId: member.id, entityName: member.name };

  if (row.purpose === 'sign_in') {
    if (row.invitation_id !== null) await acceptInvitationWith(trx, row, row.invitation_id, entity, now);
    const session = await issueSession(ctx, trx, member, { kind: row.client_kind, version: row.client_version }, row.ip, fromState !== 'new');
    // Begun from a session held for set-up (services/signIn/setUpFromSession.ts): the new one replaces it.
    if (row.origin_session_id !== null) {
      await trx.updateTable('sessions').set({ revoked_at: now.getTime() }).where('id', '=', row.origin_session_id).where('revoked_at', 'is', null).execute();
    }
    await audit(trx, now, { ...entity, changeType: 'SignIn', details: { client: row.client_kind, clientVersion: row.client_version } });
    return { session, notices: [] };
  }

  if (!row.new_password_hash) throw new TwofoldError('transaction_state', 'This password change has no new password.');
  // A forgotten password's reset completes only with its link still open (not used, replaced or expired).
  if (row.password_reset_hash !== null) {
    if (!await spendResetLink(trx, member.id, row.password_reset_hash, now)) throw new TwofoldError('invalid_password_reset', INVALID_PASSWORD_RESET);
    // Whoever reads the member's email may choose the password: a lock from wrong guesses ends too.
    await clearPasswordFailures(trx, member.id);
  }
  // A password change belongs to the session it was asked from: once that has ended (signed out,
  // expired, or an administrator set a new password) the change cannot complete.
  if (row.origin_session_id !== null && !await sessionIsLive(trx, row.origin_session_id, now)) {
    throw new TwofoldError('unauthenticated', 'The session this password change was asked from has ended. Sign in again.');
  }
  await setNewPassword(trx, row, row.new_password_hash, now);
  let sessionsEnded = 0;
  if (row.end_other_sessions === 1) {
    sessionsEnded = await revokeMemberSessions(trx, member.id, now, row.origin_session_id ?? undefined);
  }
  await audit(trx, now, {
    ...entity, changeType: 'Change', details: { field: 'password', sessionsEnded, ...(row.password_reset_hash !== null ? { via: 'reset_link' } : {}) },
  });
  return {
    notices: [passwordChangedNotice({ to: member.email, organizationName: member.organizationName, at: now, language: await memberLanguage(trx, member.id) })],
  };
}
