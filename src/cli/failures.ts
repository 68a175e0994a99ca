/**
 * Conditions a command meets in ordinary operation (a busy database, a database server that is not
 * running, a port in use, a missing file) become one line a person can act on, not a stack trace.
 */

export interface ExpectedFailure {
  readonly message: string;
  readonly exitCode: number;
}

const EX_UNAVAILABLE = 69;
const EX_NOINPUT = 66;
const EX_TEMPFAIL = 75;

interface SystemError extends Error {
  code?: unknown;
  path?: unknown;
  port?: unknown;
}

/** The error and what it wraps (a failed migration wraps its cause; a refused connection may hold one per address). */
function* chain(error: unknown, depth = 0): Generator<SystemError> {
  if (!(error instanceof Error) || depth > 5) return;
  yield error;
  if (error instanceof AggregateError) for (const inner of error.errors) yield* chain(inner, depth + 1);
  yield* chain(error.cause, depth + 1);
}

export function describeExpectedFailure(error: unknown, env: NodeJS.ProcessEnv): ExpectedFailure | undefined {
  for (const cause of chain(error)) {
    const code = typeof cause.code === 'string' ? cause.code : '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return { message: 'the database is busy (another process holds its write lock); try again', exitCode: EX_TEMPFAIL };
    }
    if (code === 'EADDRINUSE') return { message: `port ${String(cause.port ?? env.PORT ?? '')} is already in use`, exitCode: EX_UNAVAILABLE };
    if (code === 'EACCES' && cause.port !== undefined) return { message: `not allowed to listen on port ${String(cause.port)}`, exitCode: EX_UNAVAILABLE };
    if (env.DATABASE_URL && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT')) {
      const reason = code === 'ENOTFOUND' ? 'host not found' : code === 'ETIMEDOUT' ? 'timed out' : 'connection refused';
      return { message: `cannot connect to PostgreSQL at ${databaseHost(env.DATABASE_URL)} (${reason}); is it running?`, exitCode: EX_UNAVAILABLE };
    }
    if (typeof cause.path === 'string') {
      if (code === 'ENOENT') return { message: `no such file: ${cause.path}`, exitCode: EX_NOINPUT };
      if (code === 'EACCES' || code === 'EPERM') return { message: `permission denied: ${cause.path}`, exitCode: EX_NOINPUT };
      if (code === 'EISDIR') return { message: `a directory, not a file: ${cause.path}`, exitCode: EX_NOINPUT };
    }
  }
  return undefined;
}

/** Host and port only: the URL's user name and password stay out of messages. */
function databaseHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'DATABASE_URL';
  }
}
