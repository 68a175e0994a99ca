/**
 * What `twofold console` says for each problem the server can answer, and the exit status for
 * scripts. One table, so the help text, the README and the messages cannot disagree.
 */
import type { ProblemBody, TwofoldProblem } from './client.ts';

/** Exit statuses: one per kind of outcome a script may act on. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  notSignedIn: 3,
  wrongCredentials: 4,
  locked: 5,
  verificationFailed: 6,
  expired: 7,
  notOnThisConsole: 8,
  passwordRefused: 9,
  setupBlocked: 10,
  pushNotApproved: 11,
  unreachable: 69,
  interrupted: 130,
} as const;

/** For --help and the README. */
export const EXIT_HELP = `Exit status:
  0    done
  1    another error from the server (its code is printed)
  2    wrong usage, or no terminal to ask in
  3    not signed in, or the session has ended
  4    wrong email or password
  5    locked or too many attempts (authenticator app notifications paused or locked included):
       wait (the time is printed) or ask an administrator
  6    two-step verification failed (five wrong codes): sign in again
  7    the sign-in expired (ten minutes): sign in again
  8    not possible on this console version (an email-only member on 7.50.3572 or earlier)
  9    the new password was refused (too weak, or the same)
  10   set-up needs an administrator (a setup code, or a proof of a switched-off method)
  11   the authenticator app notification was denied, not answered within a minute, or a
       different number was typed in it: sign in again
  69   the server cannot be reached
  130  interrupted (Ctrl-C)`;

export interface Outcome {
  readonly message: string;
  readonly exitCode: number;
}

const seconds = (problem: TwofoldProblem): string => {
  const wait = problem.problem.retryAfterSeconds;
  return typeof wait === 'number' ? ` Try again in ${wait} seconds.` : '';
};

/** A problem that ended a command, as one line a person can act on (with its code for scripts) and an exit status. */
export function describeProblem(error: TwofoldProblem, server: string): Outcome {
  const p = error.problem;
  const say = (message: string, exitCode: number): Outcome => ({ message: `${message} (${error.code})`, exitCode });
  switch (error.code) {
    case 'network': return say(`Cannot reach the Twofold server at ${server}.`, EXIT.unreachable);
    case 'unauthenticated': return say('You are not signed in, or your session has ended: run `twofold console sign-in`.', EXIT.notSignedIn);
    case 'invalid_credentials': return say('The email or password is not correct.', EXIT.wrongCredentials);
    case 'password_locked': return say(`Too many wrong passwords for this account.${seconds(error)}`, EXIT.locked);
    case 'rate_limited': return say(`Too many attempts.${seconds(error)}`, EXIT.locked);
    case 'busy': return say(`The server is busy.${seconds(error)}`, EXIT.locked);
    case 'factor_locked': return say(lockedMessage(p.lockedUntil), EXIT.locked);
    case 'transaction_failed': return say('Too many wrong codes: this sign-in failed. Sign in again.', EXIT.verificationFailed);
    case 'transaction_expired': return say('This sign-in took longer than ten minutes and expired. Sign in again.', EXIT.expired);
    case 'console_email_only': return say(
      'This Technician Console version cannot use email verification, and email is your only method. Update the console, or ask an administrator to let you set up an authenticator app or text messages.',
      EXIT.notOnThisConsole,
    );
    case 'method_unavailable': case 'method_not_allowed': case 'factor_not_offered':
      return say('That verification method is not available here.', EXIT.notOnThisConsole);
    case 'password_too_weak': return say(`The new password does not meet your organization's policy${typeof p.rule === 'string' ? ` (${p.rule.replace(/_/g, ' ')})` : ''}.`, EXIT.passwordRefused);
    case 'password_reused': return say('The new password must differ from the current one.', EXIT.passwordRefused);
    case 'setup_code_required': return say('Your administrator issued a setup code for you; it is needed to finish the set-up.', EXIT.setupBlocked);
    case 'setup_proof_required': return say('Your methods were switched off: prove one of them, use a recovery code, or ask an administrator for a setup code.', EXIT.setupBlocked);
    case 'two_step_setup_required': return say('You must now set up two-step verification: sign in again with `twofold console sign-in`.', EXIT.notSignedIn);
    case 'password_change_required': return say('You must change your password first: run `twofold console password`.', EXIT.failed);
    case 'push_denied': return say('The sign-in was denied in your authenticator app.', EXIT.pushNotApproved);
    case 'push_expired': return say('The notification was not answered in your authenticator app within a minute. Sign in again.', EXIT.pushNotApproved);
    case 'push_number_mismatch': return say('The number typed in your authenticator app was not the one shown here. Sign in again.', EXIT.pushNotApproved);
    case 'push_pending': return say('A notification is already waiting in your authenticator app: answer it, or sign in again in a minute.', EXIT.locked);
    case 'push_suspended': return say(`Authenticator app notifications are paused after too many denied or unanswered ones.${seconds(error)}`, EXIT.locked);
    case 'push_locked': return say('Authenticator app notifications are locked because one was reported as not you: an administrator must unlock them.', EXIT.locked);
    case 'delivery_failed': return say('The code could not be sent. Try again later or use another method.', EXIT.failed);
    case 'invalid_code': return say('That code is not correct.', EXIT.verificationFailed);
    case 'not_found': return say('The server no longer knows this sign-in (it ended long ago). Sign in again.', EXIT.expired);
    case 'transaction_completed': return say('This sign-in is already complete.', EXIT.failed);
    case 'transaction_state': case 'setup_out_of_order': case 'primary_factor_required': case 'conflict':
      return say('The sign-in is not at the step this console expected: sign in again.', EXIT.failed);
    case 'invalid_invitation': case 'invalid_password_reset':
      return say('The invitation or password reset link behind this sign-in is no longer valid.', EXIT.failed);
    case 'validation_failed': return say(`The server refused what was sent${fieldsOf(p.errors)}.`, EXIT.failed);
    case 'payload_too_large': case 'unsupported_media_type': case 'origin_mismatch':
      return say('The server refused the request as this console sent it: check --server.', EXIT.failed);
    case 'internal_error': return say('The server failed unexpectedly. Try again, or tell its administrator.', EXIT.failed);
    default: return say(`The server refused: ${typeof p.title === 'string' ? p.title : 'an unexpected error'}.`, EXIT.failed);
  }
}

const fieldsOf = (errors: ProblemBody['errors']): string => {
  const fields = (errors ?? []).map((e) => e.field?.replace(/^body\//, '')).filter(Boolean);
  return fields.length > 0 ? ` (${fields.join(', ')})` : '';
};

export function lockedMessage(lockedUntil: unknown): string {
  return typeof lockedUntil === 'string'
    ? `This method is locked after too many wrong codes, until ${new Date(lockedUntil).toLocaleTimeString()}.`
    : 'This method is locked after too many wrong codes, until an administrator unlocks it.';
}

/** The line shown before a code is asked again: what was wrong with the last answer. */
export function retryMessage(error: TwofoldProblem): string {
  const p = error.problem;
  switch (error.code) {
    case 'invalid_code': {
      const left = p.attemptsRemaining;
      return typeof left === 'number' ? `That code is not correct. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.` : 'That code is not correct.';
    }
    case 'rate_limited': return `A new code cannot be sent yet.${seconds(error)}`;
    case 'delivery_failed': return 'The code could not be sent. Try again, or choose another method.';
    case 'factor_locked': return `${lockedMessage(p.lockedUntil)} Choose another method.`;
    case 'validation_failed': return 'Enter the phone number in international format, e.g. +14155550123.';
    default: return describeProblem(error, '').message;
  }
}
