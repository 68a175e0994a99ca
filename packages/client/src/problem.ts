/**
 * Problems (RFC 9457) as clients should handle them: by their stable `code`, never by the server's
 * English `title`. Every failed call of this package ends in a {@link TwofoldProblem}; a request that
 * never got an answer (the server unreachable, the connection cut) is the code `network`.
 */
import type { components } from './schema.ts';

/** Every code the server documents (`components.schemas.Problem.code`). */
export type ProblemCode = components['schemas']['Problem']['code'];

/**
 * A code this package knows, or another string: a newer server may answer with a code this build
 * does not know yet, which callers should treat as a generic failure.
 */
export type AnyProblemCode = ProblemCode | 'network' | 'unknown' | (string & {});

/** The problem's body as the server sent it, with `code` and `status` always present. */
export interface ProblemBody {
  readonly code: AnyProblemCode;
  readonly status: number;
  readonly title?: string;
  readonly attemptsRemaining?: number;
  readonly retryAfterSeconds?: number;
  readonly lockedUntil?: string | null;
  readonly errors?: ReadonlyArray<{ field?: string | null; message?: string }>;
  readonly [member: string]: unknown;
}

export class TwofoldProblem extends Error {
  override readonly name = 'TwofoldProblem';
  constructor(readonly problem: ProblemBody, options?: { cause?: unknown }) {
    super(problem.code, options);
  }
  get code(): AnyProblemCode {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
}

/** The problem an answer with this status and body stands for (a body without a `code` is `unknown`). */
export function problemFrom(status: number, body: unknown): TwofoldProblem {
  const object = typeof body === 'object' && body !== null ? body as Record<string, unknown> : {};
  const code = typeof object.code === 'string' ? object.code : 'unknown';
  return new TwofoldProblem({ ...object, code, status });
}

/** Whether an error is the problem with this code (steers a flow: a failed sign-in, a locked factor). */
export const isProblem = (error: unknown, code: ProblemCode | 'network'): error is TwofoldProblem =>
  error instanceof TwofoldProblem && error.code === code;

/**
 * The answer's data, or a {@link TwofoldProblem} thrown with the problem's `code`. Wraps any call of
 * the client: `await unwrap(client.GET('/api/v1/me'))`.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw new TwofoldProblem({ code: 'network', status: 0 }, { cause });
  }
  if (result.response.ok) return result.data as T;
  throw problemFrom(result.response.status, result.error);
}
