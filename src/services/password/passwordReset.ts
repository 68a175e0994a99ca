/**
 * A forgotten password, reset by the member with a link sent to their email. The answer to the
 * request never tells whether the email is known (docs/security.md S24): the same status and body, and all
 * the work that depends on the email done after the answer. The new password is held to the
 * organization's policy and, for members who must use two-step verification, counts only after a
 * second factor, in a `password_change` transaction (docs/security.md S29: a reset never bypasses it). A
 * member with nothing to verify with (never set up, or reset) may set a factor up in it only with a
 * setup code from an administrator: otherwise the mailbox alone would choose the password and the
 * first factor. The link is spent when the change completes, which ends every session of the member.
 */
import { clientNetwork } from '../../core/clientNetwork.ts';
import { TwofoldError } from '../../core/errors.ts';
import type { ClientInfo } from '../../core/model.ts';
import { hashPassword } from '../../crypto/passwords.ts';
import { passwordResetMessage } from '../../delivery/messages.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import { hitRateLimit } from '../../storage/rateLimit.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Context } from '../context.ts';
import { normalizeEmail } from '../members/email.ts';
import { requireStrongEnough } from '../members/newPassword.ts';
import { pageLink } from '../pageLinks.ts';
import { beginTransaction, type BeginResult } from '../signIn/begin.ts';
import { isTwoStepRequired } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { setupCodePending } from '../twoStep/setupCodes.ts';
import { INVALID_PASSWORD_RESET, createResetLink, findOpenResetLink } from './resetLinks.ts';

const HOUR_MS = 60 * 60 * 1000;
const NEEDS_SETUP_CODE = 'Your two-step verification has to be set up again before your password can be reset. '
  + 'Ask your administrator for a setup code, then use this link again.';
/** Requests per client IP an hour: enough for an office, not for mailing everyone. */
export const RESET_REQUESTS_PER_IP = 20;
/** Emails per member an hour: a mailbox cannot be flooded with links. */
export const RESET_EMAILS_PER_MEMBER = 3;

const memberByEmail = prepareQuery((db, p: { email: string }) => db.selectFrom('members').selectAll().where('email', '=', p.email));

export interface ResetRequest {
  readonly email: string;
  readonly ip: string;
}

/**
 * Answers once the per-IP limit has counted the request; refused only by that limit. Everything that
 * depends on the email (is it a member's, the per-email limit, the link, the audit event, the email)
 * happens after the answer, so neither its time nor its content tells a known email from an unknown.
 */
export async function requestPasswordReset(ctx: Context, request: ResetRequest): Promise<void> {
  const byIp = await hitRateLimit(ctx.db, `password-reset:ip:${clientNetwork(request.ip)}`, RESET_REQUESTS_PER_IP, HOUR_MS, ctx.clock());
  if (!byIp.allowed) {
    throw new TwofoldError('rate_limited', 'Too many password resets were asked for from here. Try again later.', { retryAfterSeconds: Math.ceil(byIp.retryAfterMs / 1000) });
  }
  await ctx.afterAnswer.queue(EMAIL_RESET_LINK, { email: request.email, ip: request.ip } satisfies ResetRequest);
}

/** The job, done after the answer, that sends the link (a stored name: never renamed). */
export const EMAIL_RESET_LINK = 'password-reset-link';

/** Emails a link to the member with this email if they sign in with a password and are enabled. */
export async function emailResetLink(ctx: Context, request: ResetRequest): Promise<void> {
  const now = ctx.clock();
  const member = await memberByEmail.first(ctx.db, { email: normalizeEmail(request.email) });
  if (member === undefined || member.enabled !== 1 || member.password_hash === null) return;
  const byMember = await hitRateLimit(ctx.db, `password-reset:member:${member.id}`, RESET_EMAILS_PER_MEMBER, HOUR_MS, now);
  if (!byMember.allowed) return;
  const policy = await loadOrganizationPolicy(ctx.db, member.organization_id);
  const link = await ctx.db.transaction().execute(async (trx) => {
    const created = await createResetLink(trx, member.id, now);
    await audit(trx, now, {
      organizationId: member.organization_id, actor: { id: null, name: 'Password reset', ip: request.ip },
      entityType: memberEntityType(member.role), entityId: member.id, entityName: member.name,
      changeType: 'PasswordResetRequested', details: { expiresAt: created.expiresAt.toISOString() },
    });
    return created;
  });
  try {
    await ctx.senders.email.send(passwordResetMessage({ to: member.email, language: member.language, organizationName: policy.name, link: resetLink(ctx, link.token), expiresAt: link.expiresAt }));
  } catch (error) {
    // Not tried again: a retry would make another link, count against the member's hourly links and
    // write another audit event for one request. The member asks again.
    ctx.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'a password reset link could not be sent');
  }
}

export function resetLink(ctx: Context, token: string): string {
  return pageLink(ctx, `/password-reset/${token}`);
}

export interface ResetView {
  readonly email: string;
  readonly organizationName: string;
  readonly expiresAt: string;
  readonly minimumStrength: string;
  /** The new password takes effect only after a second factor (or setting one up). */
  readonly twoStepVerificationRequired: boolean;
}

async function openLink(ctx: Context, token: string) {
  const link = await findOpenResetLink(ctx.db, token, ctx.clock());
  const member = link && await ctx.db.selectFrom('members').selectAll().where('id', '=', link.member_id).executeTakeFirst();
  if (!link || !member || member.enabled !== 1) throw new TwofoldError('invalid_password_reset', INVALID_PASSWORD_RESET);
  const policy = await loadOrganizationPolicy(ctx.db, member.organization_id);
  return { link, member, policy, required: await isTwoStepRequired(ctx.db, member, policy) };
}

/** What the reset page shows: whose password, where, the rule to meet, and whether a factor follows. */
export async function describePasswordReset(ctx: Context, token: string): Promise<ResetView> {
  const { link, member, policy, required } = await openLink(ctx, token);
  return {
    email: member.email, organizationName: policy.name, expiresAt: new Date(link.expires_at).toISOString(),
    minimumStrength: policy.passwordPolicy.minimumStrength, twoStepVerificationRequired: required,
  };
}

export interface CompleteResetRequest {
  readonly token: string;
  readonly newPassword: string;
  readonly client: ClientInfo;
  readonly ip: string | null;
}

/**
 * Sets the new password through a `password_change` transaction that spends the link when it
 * completes: at once when no second factor is needed, else after one. A too-weak password leaves the
 * link usable, and so does a change that fails or expires.
 */
export async function completePasswordReset(ctx: Context, request: CompleteResetRequest): Promise<BeginResult> {
  const { link, member, policy } = await openLink(ctx, request.token);
  requireStrongEnough(request.newPassword, policy.passwordPolicy, 'newPassword');
  const newPasswordHash = await hashPassword(request.newPassword);
  // With no factor to verify with (never set up, or reset), the mailbox alone would choose both the
  // password and the first factor: only with a setup code from an administrator (docs/security.md S26).
  const refuseSetup = await setupCodePending(ctx.db, member.id) ? undefined : new TwofoldError('reset_needs_setup_code', NEEDS_SETUP_CODE);
  return beginTransaction(ctx, {
    member, purpose: 'password_change', client: request.client, ip: request.ip,
    newPasswordHash, endOtherSessions: true, passwordResetHash: link.token_hash, refuseSetup,
  });
}
