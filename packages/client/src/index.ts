/**
 * `@twofold/client`: the typed Twofold API client, its problems, and the sign-in walk: as one loop
 * (`walkTransaction`, `signIn`) or as per-step pieces (`nextStep` and one function per server action)
 * for a user interface that shows one step at a time.
 */
export { createTwofoldClient } from './client.ts';
export type { AuthenticatorRequest, Challenge, ClientInfo, Me, MethodId, PushStatus, NewFactor, Transaction, TransactionFactor, TwofoldClient, TwofoldClientOptions } from './client.ts';
export { TwofoldProblem, isProblem, problemFrom, unwrap } from './problem.ts';
export type { AnyProblemCode, ProblemBody, ProblemCode } from './problem.ts';
export { changePassword, signIn, technicianConsole } from './signIn.ts';
export type { ChangePasswordOptions, SignInOptions } from './signIn.ts';
export { numberScreenOf } from './authenticatorRequest.ts';
export type { NumberScreen } from './authenticatorRequest.ts';
export { confirmWithPush, pushEndCode, pushThroughApi, seenOf, setUpPushThroughApi, startPush, verifyWithPush, waitForPush } from './push.ts';
export type { PushEndCode, PushRequest } from './push.ts';
export { activate, bindFactor, checkCode, checkRecoveryCode, confirmFactor, getTransaction, sendChallenge, totpSecretOf } from './actions.ts';
export type { FactorBinding, TransactionRef } from './actions.ts';
export { closedReason, confirmedMethods, isRetryable, nextStep, normalizeCode, sendsCodes } from './steps.ts';
export type { NextStep, StepCapabilities, StepKind, VerifyStep } from './steps.ts';
export { walkTransaction } from './walk.ts';
export type { SignInResult, WalkOptions } from './walk.ts';
export type {
  AuthenticatorSetup, CodeAnswer, CodePurpose, CodeRequest, FactorAnswer, FactorChoice, PushApproval, PushPairing, PushPrompt, SignInPrompts,
} from './prompts.ts';
export type { components, operations, paths } from './schema.ts';
