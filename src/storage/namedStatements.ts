/**
 * On PostgreSQL the queries that prepareQuery compiles once also run as named prepared statements:
 * each connection parses and plans one the first time it runs it, then only binds new values. For the
 * short queries of a sign-in or a session check, planning costs PostgreSQL more than running them: a
 * session lookup (three tables joined, by a unique index) ran about three times as often a second
 * named as unnamed on this project's bench machine (docs/performance.md).
 *
 * Kysely sends every query as `client.query(sql, values)`, so the pool's clients are given a `query`
 * that names the statements registered here and passes every other query through unchanged.
 *
 * A prepared `select *` fails with "cached plan must not change result type" once a column is added
 * to its table, which a newer node's migration may do while this one runs (a rolling upgrade). The
 * connection then prepares that query again under a new name: at once outside a transaction, so the
 * caller never sees the error; inside one the error ends the transaction, as any failed statement
 * does, and the next attempt succeeds.
 */
import type pg from 'pg';

/** Each registered statement's base name, by its SQL. */
const statementNames = new Map<string, string>();

/** Runs `sql` as a named prepared statement from now on (on PostgreSQL). */
export function nameStatement(sql: string): void {
  if (!statementNames.has(sql)) statementNames.set(sql, `twofold_${statementNames.size + 1}`);
}

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

const isStalePlan = (error: unknown): boolean => error instanceof Error
  && (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(error.message);

/** Makes `client` run the registered statements named; for `pool.on('connect', …)`. */
export function prepareNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<pg.QueryResult>;
  // Bumped for a statement whose plan went stale on this connection: a new name prepares it again.
  const generations = new Map<string, number>();
  let inTransaction = false;
  const named: Query = async (text, values) => {
    const base = statementNames.get(text);
    if (base === undefined) {
      if (text === 'begin' || text.startsWith('start transaction')) inTransaction = true;
      else if (text === 'commit' || text === 'rollback') inTransaction = false;
      return query(text, values);
    }
    const run = () => query({ name: `${base}_${generations.get(text) ?? 0}`, text, values });
    try {
      return await run();
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      generations.set(text, (generations.get(text) ?? 0) + 1);
      if (inTransaction) throw error;
      return run();
    }
  };
  // Kysely's calls have exactly these two arguments; any other form (a config object, a callback) is
  // the driver's own and passes through.
  const original = client.query;
  client.query = ((first: unknown, ...rest: unknown[]) => (typeof first === 'string' && rest.length <= 1 && (rest[0] === undefined || Array.isArray(rest[0]))
    ? named(first, rest[0] as unknown[] | undefined)
    : (original as (...args: unknown[]) => unknown).apply(client, [first, ...rest]))) as typeof client.query;
}
