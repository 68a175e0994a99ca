/**
 * Problems (RFC 9457) as the website handles them: by their stable `code`. The message shown is
 * `errors.<code>` in the member's language, with the problem's numbers as ICU values; a code this
 * build does not know shows `errors.unknown`, never the server's own text.
 */
import type { components } from './schema.d.ts';

export type ProblemCode = components['schemas']['Problem']['code'];

export interface ProblemBody {
  readonly code: string;
  readonly status: number;
  readonly attemptsRemaining?: number;
  readonly retryAfterSeconds?: number;
  readonly lockedUntil?: string | null;
  readonly errors?: ReadonlyArray<{ field?: string }>;
  readonly [member: string]: unknown;
}

export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(readonly problem: ProblemBody, options?: { cause?: unknown }) {
    super(problem.code, options);
  }
  get code(): string {
    return this.problem.code;
  }
}

export function problemFrom(status: number, body: unknown): ApiProblem {
  const code = typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string'
    ? (body as { code: string }).code
    : 'unknown';
  return new ApiProblem({ ...(typeof body === 'object' && body !== null ? body : {}), code, status });
}

/** Whether an error is the problem with this code (steers a flow: a failed sign-in, a locked factor). */
export const isProblem = (error: unknown, code: ProblemCode | 'network'): error is ApiProblem =>
  error instanceof ApiProblem && error.code === code;
