/**
 * The walk through a sign-in or password-change transaction after the password: verification with one
 * of the member's factors (or a recovery code), or set-up ("Protect your account": a proof when the
 * member's methods were switched off, the required methods in order, optional backups, Activate). It
 * is a loop over the per-step pieces a page-per-step user interface uses too: {@link nextStep} says
 * what the transaction needs now, one function per server action carries it out (actions.ts,
 * push.ts), and this module asks the caller, through {@link SignInPrompts}, only for what the step
 * needs, and recovers from the problems a person can fix (a wrong code, a resend too soon, a locked
 * factor, a refused phone number). Every other problem ends the walk as a thrown
 * {@link TwofoldProblem} carrying the server's `code`.
 */
import type { MethodId, Transaction, TransactionFactor, TwofoldClient } from './client.ts';
import { activate, bindFactor, checkCode, checkRecoveryCode, confirmFactor, sendChallenge, totpSecretOf } from './actions.ts';
import { TwofoldProblem } from './problem.ts';
import type { CodePurpose, FactorAnswer, PushApproval, SignInPrompts } from './prompts.ts';
import { pushThroughApi, setUpPushThroughApi } from './push.ts';
import { isRetryable, nextStep, sendsCodes, type StepCapabilities, type VerifyStep } from './steps.ts';

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

/** Walks `transaction` to its completion; throws a {@link TwofoldProblem} when it cannot complete. */
export async function walkTransaction(api: TwofoldClient, transaction: Transaction, options: WalkOptions): Promise<SignInResult> {
  const { prompts } = options;
  const approvePush = options.push ?? (prompts.showPushNumber ? pushThroughApi(api) : undefined);
  const capabilities = {
    push: approvePush !== undefined,
    pushPairing: prompts.showPushPairing !== undefined && prompts.showPushNumber !== undefined,
    // Without a way to ask, no backup is added.
    backupsDone: prompts.chooseBackup === undefined,
  } satisfies StepCapabilities;
  let current = transaction;
  let recoveryCodes: readonly string[] | null = null;
  for (;;) {
    const step = nextStep(current, capabilities);
    switch (step.kind) {
      case 'complete':
        return { transaction: current, session: step.session, recoveryCodes };
      case 'verify':
        current = await verify(api, current, step, prompts, approvePush);
        break;
      case 'set-up':
        current = await setUpMethod(api, current, step.method, prompts);
        break;
      case 'choose-backup': {
        const method = await prompts.chooseBackup?.({ transaction: current, methods: step.methods }) ?? null;
        if (method === null) capabilities.backupsDone = true;
        else current = await setUpMethod(api, current, method, prompts);
        break;
      }
      case 'activate':
        current = await activateAsking(api, current, step.setupCodeRequired, prompts);
        recoveryCodes = current.recoveryCodes ?? recoveryCodes;
        break;
      case 'closed':
        // An answer never carries these (the server refuses with the problem), but a caller may start from one.
        throw new TwofoldProblem({ code: step.reason === 'failed' ? 'transaction_failed' : 'transaction_expired', status: 410, state: current.state });
      case 'unsupported':
        throw step.problem;
    }
  }
}

/** One verification (or a set-up's proof): the suggested factor first, its code; another factor or a recovery code when asked. */
async function verify(api: TwofoldClient, transaction: Transaction, step: VerifyStep, prompts: SignInPrompts, approvePush: PushApproval | undefined): Promise<Transaction> {
  const { factors, suggested, purpose, canChooseAnother } = step;
  // The suggested factor is used straight away, as the website does; the member asks for another.
  let answer: FactorAnswer | null = suggested && purpose === 'verify' ? { kind: 'factor', factorId: suggested.id } : null;
  let problem: TwofoldProblem | null = null;
  for (;;) {
    answer ??= await prompts.chooseFactor({ transaction, factors, suggested, recoveryAvailable: step.recoveryAvailable, purpose, problem });
    const chosen = answer;
    answer = null;
    if (chosen.kind === 'recovery-code') {
      try {
        return await checkRecoveryCode(api, transaction, chosen.code);
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
    try {
      const outcome = factor.type === 'push' && approvePush
        ? { transaction: await approvePush({ transaction, factor, showNumber: (prompt) => prompts.showPushNumber?.({ ...prompt, transaction, factor }) }) }
        : await codeFrom(api, transaction, factor, prompts, purpose, canChooseAnother);
      if ('transaction' in outcome) return outcome.transaction;
      problem = null;
    } catch (error) {
      // A locked factor (found on sending or on checking its code): another one, or a recovery code.
      if (!(canChooseAnother && error instanceof TwofoldProblem && error.code === 'factor_locked')) throw error;
      problem = error;
    }
  }
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
      sentUntil = (await sendChallenge(api, transaction, factor.id)).expiresAt;
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
      return { transaction: await checkCode(api, transaction, factor.id, answer.code) };
    } catch (error) {
      if (!isRetryable(error)) throw error;
      problem = error;
    }
  }
}

/** Binds a new factor of `method` (a phone number asked for text messages) and confirms it with a code from it. */
async function setUpMethod(api: TwofoldClient, transaction: Transaction, method: MethodId, prompts: SignInPrompts): Promise<Transaction> {
  if (method === 'push') return setUpPushThroughApi(api, transaction, prompts);
  let problem: TwofoldProblem | null = null;
  for (;;) {
    const phoneNumber = method === 'sms' ? await prompts.askPhoneNumber({ transaction, problem }) : undefined;
    let factor;
    try {
      factor = await bindFactor(api, transaction, { type: method, ...(phoneNumber === undefined ? {} : { phoneNumber }) });
    } catch (error) {
      if (method === 'sms' && error instanceof TwofoldProblem && error.code === 'validation_failed') {
        problem = error;
        continue;
      }
      throw error;
    }
    if (factor.otpauthUri) {
      const secret = totpSecretOf(factor.otpauthUri) ?? '';
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
        sentUntil = (await sendChallenge(api, transaction, factor.id)).expiresAt;
        problem = null;
      } else if (answer.kind === 'code') {
        return await confirmFactor(api, transaction, factor.id, answer.code);
      }
    } catch (error) {
      if (!isRetryable(error)) throw error;
      problem = error;
    }
  }
}

/** Activate, with the administrator's setup code when one is pending; the recovery codes are shown once. */
async function activateAsking(api: TwofoldClient, transaction: Transaction, setupCodeRequired: boolean, prompts: SignInPrompts): Promise<Transaction> {
  let problem: TwofoldProblem | null = null;
  for (;;) {
    let setupCode: string | undefined;
    if (setupCodeRequired) {
      if (!prompts.askSetupCode) throw new TwofoldProblem({ code: 'setup_code_required', status: 0 });
      setupCode = await prompts.askSetupCode({ transaction, problem });
    }
    try {
      const done = await activate(api, transaction, setupCode);
      if (done.recoveryCodes) await prompts.showRecoveryCodes?.(done.recoveryCodes);
      return done;
    } catch (error) {
      if (!(setupCode !== undefined && error instanceof TwofoldProblem && error.code === 'invalid_code')) throw error;
      problem = error;
    }
  }
}
