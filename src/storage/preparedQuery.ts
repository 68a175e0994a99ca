/**
 * Queries compiled once and run many times with new parameters, for the paths every sign-in takes.
 * Building and compiling a Kysely query costs several times what SQLite takes to run a short statement,
 * and those paths run a fixed set of queries, so each is built once per dialect with named slots in
 * place of its values; a run only puts the values in the slots. The SQL is Kysely's, the same as the
 * query written inline, so both databases keep running identical, type-checked queries.
 *
 * On PostgreSQL each also runs as a named prepared statement (storage/namedStatements.ts).
 *
 * A slot must stand for one value: not an `in` list (Kysely expands arrays into one placeholder per
 * element) and not something Kysely inspects to choose SQL (such as `null` for `is null`).
 */
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Db } from './database.ts';
import { nameStatement } from './namedStatements.ts';

/** Stands for a parameter while the query is compiled. */
class Slot {
  constructor(readonly name: string) {}
}

export interface PreparedQuery<P, O> {
  /** Runs the query on `db` (the store or a transaction) with `params` in its slots. */
  execute(db: Db, params: P): Promise<QueryResult<O>>;
  /** The first row, or undefined. */
  first(db: Db, params: P): Promise<O | undefined>;
  /** How many rows an insert, update or delete changed. */
  affected(db: Db, params: P): Promise<number>;
}

/**
 * @param build - builds the query from `params`, whose fields are slots at compile time: use each
 *   only as a value.
 */
export function prepareQuery<P extends Record<string, unknown>, O>(build: (db: Db, params: P) => Compilable<O>): PreparedQuery<P, O> {
  // Keyed by the dialect's adapter, which a store and its transactions share.
  const compiled = new WeakMap<object, CompiledQuery<O>>();
  const slots = new Proxy({}, { get: (_target, name) => new Slot(String(name)) }) as P;

  const execute = (db: Db, params: P): Promise<QueryResult<O>> => {
    const adapter = db.getExecutor().adapter;
    let template = compiled.get(adapter);
    if (!template) {
      template = build(db, slots).compile();
      compiled.set(adapter, template);
      nameStatement(template.sql);
    }
    const parameters = template.parameters.map((value) => (value instanceof Slot ? params[value.name] : value));
    return db.executeQuery<O>({ ...template, parameters });
  };
  return {
    execute,
    first: async (db, params) => (await execute(db, params)).rows[0],
    affected: async (db, params) => Number((await execute(db, params)).numAffectedRows ?? 0n),
  };
}
