/**
 * Problems (RFC 9457) as the website handles them: by their stable `code`, with the client
 * package's problem class. The message shown is `errors.<code>` in the member's language, with the
 * problem's numbers as ICU values; a code this build does not know shows `errors.unknown`, never the
 * server's own text.
 */
export { TwofoldProblem as ApiProblem, isProblem, problemFrom } from '@twofold/client';
export type { ProblemBody, ProblemCode } from '@twofold/client';
