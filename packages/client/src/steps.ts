/**
 * What a sign-in or password-change transaction needs now, decided from the transaction alone (no
 * I/O), so that a loop (the Technician Console's walk) and a page-per-step user interface resuming
 * after a reload (the website) take the same decisions: which factors are offered, which one is
 * suggested, whether a recovery code may stand in, which method is set up next, which backups are
 * offered, whether Activate needs a setup code. It also holds the rules both share about the
 * server's answers: which problems are tried again in the same step, which close the transaction.
 */
import type { MethodId, Transaction, TransactionFactor } from './client.ts';
import { TwofoldProblem } from './problem.ts';

/** What the caller can carry out besides codes, and what the member already said in this set-up. */
export interface StepCapabilities {
  /**
   * An authenticator app notification (push) can be verified with: the caller shows the number the
   * member types into the authenticator and waits for the answer. Without it push factors are never
   * offered, since the member could not match a number they were not shown.
   */
  readonly push: boolean;
  /** Push may be used as the proof of a switched-off method as well (default: as {@link push}). */
  readonly pushProof?: boolean;
  /** Push can be set up here: the caller shows the pairing link and then the number of its first request. */
  readonly pushPairing: boolean;
  /** The member has no (more) backup to add: the set-up goes on to Activate. */
  readonly backupsDone?: boolean;
}

/** Verification with one of `factors`, or a recovery code: to sign in (or change the password), or as a set-up's proof. */
export interface VerifyStep {
  readonly kind: 'verify';
  /** `proof` when a set-up first needs a code from a method the organization switched off. */
  readonly purpose: 'verify' | 'proof';
  /** The factors to choose from, the server's order (primary method first); locked ones included, marked. */
  readonly factors: readonly TransactionFactor[];
  /** The one to use first: the server's `defaultFactorId` unless locked, else the first not locked; null when all are. */
  readonly suggested: TransactionFactor | null;
  /** The member has unused recovery codes and may type one instead. */
  readonly recoveryAvailable: boolean;
  /** Another way than the factor in use can be chosen (another factor, or a recovery code). */
  readonly canChooseAnother: boolean;
}

export type NextStep =
  | { readonly kind: 'complete'; readonly session: NonNullable<Transaction['session']> | null }
  | VerifyStep
  /** Set up and confirm `method`: the next required one. */
  | { readonly kind: 'set-up'; readonly method: MethodId }
  /** Every required method is confirmed: the member may add one of `methods` as a backup, or go on. */
  | { readonly kind: 'choose-backup'; readonly methods: readonly MethodId[]; readonly confirmed: readonly MethodId[] }
  /** Turn two-step verification on, with the administrator's one-time setup code when `setupCodeRequired`. */
  | { readonly kind: 'activate'; readonly setupCodeRequired: boolean; readonly confirmed: readonly MethodId[] }
  /** The transaction ended: five wrong codes (`failed`) or over ten minutes (`expired`). Sign in again. */
  | { readonly kind: 'closed'; readonly reason: 'failed' | 'expired' }
  /** Nothing this caller can carry out (only push factors, and no way to show a number: `factor_not_offered`). */
  | { readonly kind: 'unsupported'; readonly problem: TwofoldProblem };

export type StepKind = NextStep['kind'];

/** What `transaction` needs now, for a caller that can do what `capabilities` say. */
export function nextStep(transaction: Transaction, capabilities: StepCapabilities): NextStep {
  switch (transaction.state) {
    case 'complete':
      return { kind: 'complete', session: transaction.session ?? null };
    case 'verify':
      return verifyStep(transaction, transaction.factors, 'verify', capabilities.push);
    case 'setup':
      return setUpStep(transaction, capabilities);
    default:
      return { kind: 'closed', reason: transaction.state === 'failed' ? 'failed' : 'expired' };
  }
}

function verifyStep(transaction: Transaction, all: readonly TransactionFactor[], purpose: 'verify' | 'proof', push: boolean): NextStep {
  const factors = all.filter((f) => f.type !== 'push' || push);
  const recoveryAvailable = transaction.recoveryAvailable === true;
  if (factors.length === 0 && !recoveryAvailable) return { kind: 'unsupported', problem: new TwofoldProblem({ code: 'factor_not_offered', status: 0 }) };
  const suggested = factors.find((f) => f.id === transaction.defaultFactorId && !f.locked) ?? factors.find((f) => !f.locked) ?? null;
  return { kind: 'verify', purpose, factors, suggested, recoveryAvailable, canChooseAnother: factors.length > 1 || recoveryAvailable };
}

function setUpStep(transaction: Transaction, capabilities: StepCapabilities): NextStep {
  const setup = transaction.setup;
  // The server always answers a set-up with its `setup`; without it there is nothing to go on with.
  if (!setup) return { kind: 'unsupported', problem: new TwofoldProblem({ code: 'transaction_state', status: 0, state: transaction.state }) };
  if (setup.proofRequired) return verifyStep(transaction, setup.proofFactors, 'proof', capabilities.pushProof ?? capabilities.push);
  if (setup.next !== null) {
    if (setup.next === 'push' && !capabilities.pushPairing) return { kind: 'unsupported', problem: new TwofoldProblem({ code: 'factor_not_offered', status: 0 }) };
    return { kind: 'set-up', method: setup.next };
  }
  const confirmed = confirmedMethods(transaction);
  const methods = setup.optional.filter((m) => !confirmed.includes(m) && (m !== 'push' || capabilities.pushPairing));
  if (methods.length > 0 && !capabilities.backupsDone) return { kind: 'choose-backup', methods, confirmed };
  return { kind: 'activate', setupCodeRequired: setup.setupCodeRequired, confirmed };
}

/** The methods of the factors confirmed so far in a set-up, in the order they were added. */
export function confirmedMethods(transaction: Transaction): MethodId[] {
  return transaction.factors.filter((f) => f.confirmed).map((f) => f.type);
}

/** Whether codes of this method are sent (text message, email), so a new one can be asked for. */
export const sendsCodes = (type: MethodId): boolean => type === 'sms' || type === 'email';

/** Problems a person answers by trying again in the same step: a wrong code, a resend too soon, a delivery that failed. */
const RETRY_CODES = new Set(['invalid_code', 'rate_limited', 'delivery_failed']);

export const isRetryable = (error: unknown): error is TwofoldProblem => error instanceof TwofoldProblem && RETRY_CODES.has(error.code);

/**
 * Whether a problem closes the transaction for good (start again): `failed` after five wrong codes,
 * `expired` after ten minutes, or when the server no longer knows it (`not_found`).
 */
export function closedReason(error: unknown): 'failed' | 'expired' | null {
  if (!(error instanceof TwofoldProblem)) return null;
  if (error.code === 'transaction_failed') return 'failed';
  if (error.code === 'transaction_expired' || error.code === 'not_found') return 'expired';
  return null;
}

/**
 * A typed code as it is sent: without the spaces and dashes people copy from a message or type to
 * group it (`578 828`, `578-828`, `abcd-efgh`). None is ever part of a code; the server drops them too.
 */
export const normalizeCode = (code: string): string => code.replace(/[\s\u002D\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]+/gu, '');
