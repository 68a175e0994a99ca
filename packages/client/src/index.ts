/** `@twofold/client`: the typed Twofold API client, its problems, and the sign-in walk. */
export { createTwofoldClient } from './client.ts';
export type { ClientInfo, Me, MethodId, NewFactor, Transaction, TransactionFactor, TwofoldClient, TwofoldClientOptions } from './client.ts';
export { TwofoldProblem, isProblem, problemFrom, unwrap } from './problem.ts';
export type { AnyProblemCode, ProblemBody, ProblemCode } from './problem.ts';
export type { components, operations, paths } from './schema.ts';
