/** `@twofold/client`: the typed Twofold API client, its problems, and the sign-in walk. */
export { createTwofoldClient } from './client.ts';
export type { ClientInfo, Me, MethodId, NewFactor, Transaction, TransactionFactor, TwofoldClient, TwofoldClientOptions } from './client.ts';
export { TwofoldProblem, isProblem, problemFrom, unwrap } from './problem.ts';
export type { AnyProblemCode, ProblemBody, ProblemCode } from './problem.ts';
export { changePassword, signIn, technicianConsole } from './signIn.ts';
export type { ChangePasswordOptions, SignInOptions } from './signIn.ts';
export { pushThroughApi, setUpPushThroughApi } from './push.ts';
export type { PushEndCode } from './push.ts';
export { walkTransaction } from './walk.ts';
export type { SignInResult, WalkOptions } from './walk.ts';
export type {
  AuthenticatorSetup, CodeAnswer, CodePurpose, CodeRequest, FactorAnswer, FactorChoice, PushApproval, PushPairing, PushPrompt, SignInPrompts,
} from './prompts.ts';
export type { components, operations, paths } from './schema.ts';
