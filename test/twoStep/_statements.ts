/** What the store runs while a test's requests run, for tests that hold a path to its statements. */
import type { TestApp } from '../support/harness.ts';

/**
 * The SQL of every query the store's executors run while `run` runs, in transactions too: a
 * transaction has an executor of its own, of the store's executor's class, so the class's method is
 * watched. BEGIN and COMMIT are the connection's own and are not among them.
 */
export async function queriesDuring(t: TestApp, run: () => Promise<void>): Promise<string[]> {
  let owner: object = t.ctx.db.getExecutor();
  while (!Object.hasOwn(owner, 'executeQuery')) owner = Object.getPrototypeOf(owner) as object;
  const watched = owner as { executeQuery(query: { sql: string }, ...rest: unknown[]): unknown };
  const executeQuery = watched.executeQuery;
  const queries: string[] = [];
  watched.executeQuery = function (this: unknown, query, ...rest) {
    queries.push(query.sql);
    return executeQuery.call(this, query, ...rest);
  };
  try {
    await run();
  } finally {
    watched.executeQuery = executeQuery;
  }
  return queries;
}
