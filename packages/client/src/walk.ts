/**
 * The walk through a sign-in or password-change transaction after the password: verification with one
 * of the member's factors (or a recovery code), or set-up ("Protect your account": a proof when the
 * member's methods were switched off, the required methods in order, optional backups, Activate). The
 * server's transaction says what comes next at every step; this module asks the caller, through
 * {@link SignInPrompts}, only for what the step needs, and recovers from the problems a person can
 * fix (a wrong code, a resend too soon, a locked factor, a refused phone number). Every other problem
 * ends the walk as a thrown {@link TwofoldProblem} carrying the server's `code`.
 */
import type { MethodId, Transaction, TransactionFactor, TwofoldClient } from './client.ts';
import { TwofoldProblem, unwrap } from './problem.ts';
import type { CodePurpose, FactorAnswer, PushApproval, SignInPrompts } from './prompts.ts';
import { pushThroughApi, setUpPushThroughApi } from './push.ts';

export interface WalkOptions {
  readonly prompts: SignInPrompts;
  /**
   * Carries out an authenticator app notification in place of the built-in one (which sends it through
   * the API, shows its number with `prompts.showPushNumber` and waits on the long-poll). Push factors
   * are offered when this is given or when the prompts can show a number; otherwise never, since the
   * member could not match a number they were not shown.
   */
  readonly push?: PushApproval;
}

export interface SignInResult {
  /** The completed transaction. */
  readonly transaction: Transaction;
  /** The session a sign-in opened (its `token` for a Technician Console); null for a password change. */
  readonly session: NonNullable<Transaction['session']> | null;
  /** The recovery codes Activate answered, when the walk set two-step verification up. */
  readonly recoveryCodes: readonly string[] | null;
}

/** Problems a person answers by trying again in the same step. */
const RETRY_CODE = new Set(['invalid_code', 'rate_limited', 'delivery_failed']);

/** Walks `transaction` to its completion; throws a {@link TwofoldProblem} when it cannot complete. */
export async function walkTransaction(api: TwofoldClient, transaction: Transaction, options: WalkOptions): Promise<SignInResult> {
  let current = transaction;
  let recoveryCodes: readonly string[] | null = null;
  for (;;) {
    switch (current.state) {
      case 'complete':
        return { transaction: current, session: current.session ?? null, recoveryCodes };
      case 'verify':
        current = await verify(api, current, options, 'verify');
        break;
      case 'setup':
        current = await setUp(api, current, options);
        recoveryCodes = current.recoveryCodes ?? recoveryCodes;
        break;
      default:
        // An answer never carries these (the server refuses with the problem), but a caller may start from one.
        throw new TwofoldProblem({ code: current.state === 'failed' ? 'transaction_failed' : 'transaction_expired', status: 410, state: current.state });
    }
  }
}

const sendsCodes = (type: MethodId): boolean => type === 'sms' || type === 'email';
const isRetryable = (error: unknown): error is TwofoldProblem => error instanceof TwofoldProblem && RETRY_CODE.has(error.code);

/** One verification: a factor chosen (the suggested one first), its code; or a recovery code. */
async function verify(api: TwofoldClient, transaction: Transaction, options: WalkOptions, purpose: 'verify' | 'proof'): Promise<Transaction> {
  const all = purpose === 'verify' ? transaction.factors : transaction.setup?.proofFactors ?? [];
  const approvePush = options.push ?? (options.prompts.showPushNumber ? pushThroughApi(api) : undefined);
  const factors = all.filter((f) => f.type !== 'push' || approvePush !== undefined);
  // Nothing this client can verify with (only push factors, and no push hook): say so, never ask.
  if (factors.length === 0 && transaction.recoveryAvailable !== true) throw new TwofoldProblem({ code: 'factor_not_offered', status: 0 });
  const suggestedFactor = factors.find((f) => f.id === transaction.defaultFactorId && !f.locked) ?? factors.find((f) => !f.locked) ?? null;
  // The suggested factor is used straight away, as the website does; the member asks for another.
  let answer: FactorAnswer | null = suggestedFactor && purpose === 'verify' ? { kind: 'factor', factorId: suggestedFactor.id } : null;
  let problem: TwofoldProblem | null = null;
  for (;;) {
    answer ??= await options.prompts.chooseFactor({
      transaction, factors, suggested: suggestedFactor, recoveryAvailable: transaction.recoveryAvailable === true, purpose, problem,
    });
    const chosen = answer;
    answer = null;
    if (chosen.kind === 'recovery-code') {
      try {
        return await unwrap(api.POST('/api/v1/transactions/{id}/recovery', { params: { path: { id: transaction.id } }, body: { code: chosen.code } }));
      } catch (error) {
        if (error instanceof TwofoldProblem && (error.code === 'invalid_code' || error.code === 'rate_limited')) {
          problem = error;
          continue;
        }
        throw error;
      }
    }
    const factor = factors.find((f) => f.id === chosen.factorId);
    if (!factor) throw new TwofoldProblem({ code: 'factor_not_offered', status: 0 });
    const canChooseAnother = factors.length > 1 || transaction.recoveryAvailable === true;
    try {
      const outcome = factor.type === 'push' && approvePush
        ? { transaction: await push(options, transaction, factor, approvePush) }
        : await codeFrom(api, transaction, factor, options.prompts, purpose, canChooseAnother);
      if ('transaction' in outcome) return outcome.transaction;
      problem = null;
    } catch (error) {
      // A locked factor (found on sending or on checking its code): another one, or a recovery code.
      if (!(canChooseAnother && error instanceof TwofoldProblem && error.code === 'factor_locked')) throw error;
      problem = error;
    }
  }
}

function push(options: WalkOptions, transaction: Transaction, factor: TransactionFactor, approve: PushApproval): Promise<Transaction> {
  return approve({ transaction, factor, showNumber: (prompt) => options.prompts.showPushNumber?.({ ...prompt, transaction, factor }) });
}

/** Sends a code (text message, email), asks for it and checks it: the transaction answered, or back to the choice. */
async function codeFrom(
  api: TwofoldClient, transaction: Transaction, factor: TransactionFactor, prompts: SignInPrompts, purpose: CodePurpose, canChooseAnother: boolean,
): Promise<{ transaction: Transaction } | { back: true }> {
  const canResend = sendsCodes(factor.type);
  let sentUntil: string | null = null;
  let problem: TwofoldProblem | null = null;
  const send = async () => {
    try {
      sentUntil = (await unwrap(api.POST('/api/v1/transactions/{id}/challenges', { params: { path: { id: transaction.id } }, body: { factorId: factor.id } }))).expiresAt;
      problem = null;
    } catch (error) {
      if (!isRetryable(error)) throw error;
      problem = error;
    }
  };
  if (canResend) await send();
  for (;;) {
    const answer = await prompts.askCode({ transaction, factor, purpose, sentUntil, canResend, canChooseAnother, problem });
    if (answer.kind === 'another-method' && canChooseAnother) return { back: true };
    if (answer.kind === 'resend' && canResend) {
      await send();
      continue;
    }
    if (answer.kind !== 'code') continue;
    try {
      return { transaction: await unwrap(api.POST('/api/v1/transactions/{id}/verify', { params: { path: { id: transaction.id } }, body: { factorId: factor.id, code: answer.code } })) };
    } catch (error) {
      if (!isRetryable(error)) throw error;
      problem = error;
    }
  }
}

/** One step of a set-up: the proof, the next method, a backup, or Activate. */
async function setUp(api: TwofoldClient, transaction: Transaction, options: WalkOptions): Promise<Transaction> {
  const setup = transaction.setup;
  if (!setup) throw new TwofoldProblem({ code: 'transaction_state', status: 0, state: transaction.state });
  if (setup.proofRequired) return verify(api, transaction, options, 'proof');
  const method = setup.next ?? await chooseBackup(transaction, options);
  if (method !== null) return setUpMethod(api, transaction, method, options.prompts);
  return activate(api, transaction, options.prompts);
}

async function chooseBackup(transaction: Transaction, options: WalkOptions): Promise<MethodId | null> {
  const confirmed = new Set(transaction.factors.filter((f) => f.confirmed).map((f) => f.type));
  // Push is offered only to a caller that can show its pairing link and number.
  const canPairPush = options.prompts.showPushPairing !== undefined && options.prompts.showPushNumber !== undefined;
  const methods = (transaction.setup?.optional ?? []).filter((m) => !confirmed.has(m) && (m !== 'push' || canPairPush));
  if (methods.length === 0 || !options.prompts.chooseBackup) return null;
  return options.prompts.chooseBackup({ transaction, methods });
}

/** Binds a new factor of `method` (a phone number asked for text messages) and confirms it with a code from it. */
async function setUpMethod(api: TwofoldClient, transaction: Transaction, method: MethodId, prompts: SignInPrompts): Promise<Transaction> {
  if (method === 'push') return setUpPushThroughApi(api, transaction, prompts);
  const path = { params: { path: { id: transaction.id } } };
  let problem: TwofoldProblem | null = null;
  for (;;) {
    const phoneNumber = method === 'sms' ? await prompts.askPhoneNumber({ transaction, problem }) : undefined;
    let factor;
    try {
      factor = await unwrap(api.POST('/api/v1/transactions/{id}/factors', { ...path, body: { type: method, ...(phoneNumber === undefined ? {} : { phoneNumber }) } }));
    } catch (error) {
      if (method === 'sms' && error instanceof TwofoldProblem && error.code === 'validation_failed') {
        problem = error;
        continue;
      }
      throw error;
    }
    if (factor.otpauthUri) {
      const secret = new URL(factor.otpauthUri).searchParams.get('secret') ?? '';
      await prompts.showAuthenticatorSetup({ transaction, factor, otpauthUri: factor.otpauthUri, secret, qrCodeSvg: factor.qrCodeSvg ?? null });
    }
    return confirm(api, transaction, { id: factor.id, type: factor.type, label: factor.label }, factor.codeExpiresAt ?? null, prompts);
  }
}

async function confirm(
  api: TwofoldClient, transaction: Transaction, factor: Pick<TransactionFactor, 'id' | 'type' | 'label'>, codeExpiresAt: string | null, prompts: SignInPrompts,
): Promise<Transaction> {
  const canResend = sendsCodes(factor.type);
  let sentUntil = codeExpiresAt;
  let problem: TwofoldProblem | null = null;
  for (;;) {
    const answer = await prompts.askCode({ transaction, factor, purpose: 'confirm', sentUntil, canResend, canChooseAnother: false, problem });
    try {
      if (answer.kind === 'resend' && canResend) {
        sentUntil = (await unwrap(api.POST('/api/v1/transactions/{id}/challenges', { params: { path: { id: transaction.id } }, body: { factorId: factor.id } }))).expiresAt;
        problem = null;
      } else if (answer.kind === 'code') {
        return await unwrap(api.POST('/api/v1/transactions/{id}/factors/{factorId}/confirm', {
          params: { path: { id: transaction.id, factorId: factor.id } }, body: { code: answer.code },
        }));
      }
    } catch (error) {
      if (!isRetryable(error)) throw error;
      problem = error;
    }
  }
}

/** Activate, with the administrator's setup code when one is pending; the recovery codes are shown once. */
async function activate(api: TwofoldClient, transaction: Transaction, prompts: SignInPrompts): Promise<Transaction> {
  let problem: TwofoldProblem | null = null;
  for (;;) {
    let setupCode: string | undefined;
    if (transaction.setup?.setupCodeRequired) {
      if (!prompts.askSetupCode) throw new TwofoldProblem({ code: 'setup_code_required', status: 0 });
      setupCode = await prompts.askSetupCode({ transaction, problem });
    }
    try {
      const done = await unwrap(api.POST('/api/v1/transactions/{id}/activate', {
        params: { path: { id: transaction.id } }, body: setupCode === undefined ? null : { setupCode },
      }));
      if (done.recoveryCodes) await prompts.showRecoveryCodes?.(done.recoveryCodes);
      return done;
    } catch (error) {
      if (!(setupCode !== undefined && error instanceof TwofoldProblem && error.code === 'invalid_code')) throw error;
      problem = error;
    }
  }
}
