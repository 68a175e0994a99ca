/**
 * The password step of signing in, the same for the website and the Technician Console. Unknown
 * email, wrong password and disabled member give one answer with the same work done (the attempt
 * counted, an argon2id verification), so none can be told apart from outside (docs/security.md S24).
 *
 * A locked password answers `password_locked` with when to retry, so a member who types the right
 * password is told why it is refused. That tells no account apart: an unknown email is counted under
 * its own key and locks after as many wrong passwords, with the same work done, and only whoever
 * sent those wrong passwords within the window sees the lock.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { ClientInfo } from '../../core/model.ts';
import { verifyAgainstDummy, verifyPassword } from '../../crypto/passwords.ts';
import { hashToken } from '../../crypto/tokens.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import { touchRateLimit } from '../../storage/rateLimit.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Context } from '../context.ts';
import { normalizeEmail } from '../members/email.ts';
import { beginTransaction, type BeginResult } from './begin.ts';
import { countPasswordAttempt, memberFailureKey, passwordLockedError } from './passwordAttempts.ts';

export interface SignInRequest {
  readonly email: string;
  readonly password: string;
  readonly client: ClientInfo;
  readonly ip: string;
}

const INVALID = 'The email or password is not correct.';

const memberByEmail = prepareQuery((db, p: { email: string }) => db.selectFrom('members').selectAll().where('email', '=', p.email));

export async function signIn(ctx: Context, request: SignInRequest): Promise<BeginResult> {
  const email = normalizeEmail(request.email);
  const member = await memberByEmail.first(ctx.db, { email });
  const passwordHash = member?.password_hash ?? null;
  // An unknown email is counted under its own key, so that path does the same writes as a member's.
  const key = member && passwordHash !== null ? memberFailureKey(member.id) : `password-failures:unknown:${hashToken(email)}`;
  const attempt = await countPasswordAttempt(ctx, { key, ip: request.ip });
  let passwordOk: boolean;
  try {
    passwordOk = passwordHash !== null ? await verifyPassword(passwordHash, request.password) : await verifyAgainstDummy(request.password);
  } catch (error) {
    await attempt.notTried();
    throw error;
  }
  if (!member || passwordHash === null) {
    // One write where a member's refusal writes its audit event, so the two take the same time. It
    // counts nothing: an unknown email is locked after as many wrong passwords as a member.
    await touchRateLimit(ctx.db, key, ctx.clock());
    throw attempt.locked ? passwordLockedError(attempt.retryAfterSeconds) : new TwofoldError('invalid_credentials', INVALID);
  }
  if (!passwordOk || attempt.locked || member.enabled !== 1) {
    // Every refusal of a member does the same writes, so a disabled or locked member is not told apart by timing.
    await audit(ctx.db, ctx.clock(), {
      organizationId: member.organization_id, actor: { id: null, name: 'Sign-in', ip: request.ip },
      entityType: memberEntityType(member.role), entityId: member.id, entityName: member.name,
      changeType: 'SignInFailed', details: { reason: attempt.locked ? 'locked' : !passwordOk ? 'password' : 'disabled' },
    });
    throw attempt.locked ? passwordLockedError(attempt.retryAfterSeconds) : new TwofoldError('invalid_credentials', INVALID);
  }
  try {
    // One commit for both: the attempt settled, and the transaction opened.
    return await beginTransaction(ctx, { member, purpose: 'sign_in', client: request.client, ip: request.ip, alsoCommit: (trx) => attempt.succeeded(trx) });
  } catch (error) {
    // Refused after the right password (a console that cannot use the member's method, the member
    // deleted meanwhile): the settling rolled back with the opening, and the password was still right.
    await attempt.succeeded();
    throw error;
  }
}
