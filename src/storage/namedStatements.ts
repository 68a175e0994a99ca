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
 *
 * `pg` asks PostgreSQL to describe a statement's result columns at every run, and builds a parser
 * for each column from that description each time: for the forty columns of a session check, about
 * a third of what the driver spends on the query. Since PostgreSQL never lets a prepared statement's
 * result type change (the error above), a connection asks once per statement and keeps the parsed
 * description (its "shape"): a 40-column read then cost the request thread about 50 µs instead of
 * 73 on the bench machine, and PostgreSQL its describe too.
 */
import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';

/** Each registered statement's base name, by its SQL. */
const statementNames = new Map<string, string>();

/** Runs `sql` as a named prepared statement from now on (on PostgreSQL). */
export function nameStatement(sql: string): void {
  if (!statementNames.has(sql)) statementNames.set(sql, `twofold_${statementNames.size + 1}`);
}

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

const isStalePlan = (error: unknown): boolean => error instanceof Error
  && (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(error.message);

/**
 * A named statement's result columns as `pg` parsed them from PostgreSQL's description: the fields,
 * a parser per field, and the empty row the rows are copied from; or none for a statement that
 * returns no rows.
 */
interface ResultShape {
  readonly fields: unknown[];
  readonly parsers: unknown[] | undefined;
  readonly emptyRow: object | undefined;
}

const NO_ROWS: ResultShape = { fields: [], parsers: undefined, emptyRow: undefined };

/** The parts of `pg`'s Query and Connection used below (pg 8, pinned by the lock file; test/storage/named-statements.test.ts checks them). */
interface PgQueryInternals {
  name: string;
  values: unknown[] | undefined;
  portal: string;
  binary: boolean | undefined;
  rows: number | undefined;
  callback: unknown;
  _accumulateRows: boolean;
  _result: { fields: unknown[]; _parsers: unknown[] | undefined; _prebuiltEmptyResultObject: object | undefined };
  hasBeenParsed(connection: PgConnection): boolean;
  listeners(event: string): unknown[];
  handleError(error: unknown, connection: PgConnection): void;
  _getRows(connection: PgConnection, rows: number | undefined): void;
}
interface PgConnection {
  bind(config: object): void;
  close(config: object): void;
  sync(): void;
}
type QueryCallback = (error: Error | null, result: pg.QueryResult) => void;
const PgQuery = pg.Query as unknown as new (config: object, values: undefined, callback: QueryCallback) => object;
/** pg's own handlers, which the query below extends. */
const pgQuery = PgQuery.prototype as {
  prepare(connection: PgConnection): void;
  handleRowDescription(message: unknown): void;
  handleCommandComplete(message: unknown, connection: PgConnection): void;
};

/**
 * `pg`'s query of a named statement that asks for the result's description only the first time on
 * its connection: then it keeps the shape in `shapes` (the connection's), and later runs bind,
 * execute and sync only, reading their rows with the shape kept.
 */
class OnceDescribedQuery extends PgQuery {
  #shapes: Map<string, ResultShape>;
  #describing = false;

  constructor(shapes: Map<string, ResultShape>, config: { name: string; text: string; values?: unknown[] }, callback: QueryCallback) {
    super(config, undefined, callback);
    this.#shapes = shapes;
  }

  get #pg(): PgQueryInternals {
    return this as unknown as PgQueryInternals;
  }

  prepare(connection: PgConnection): void {
    const query = this.#pg;
    const shape = this.#shapes.get(query.name);
    if (shape === undefined || !query.hasBeenParsed(connection)) {
      this.#describing = true;
      pgQuery.prepare.call(this, connection);
      return;
    }
    // What pg's own prepare does, without the describe.
    try {
      connection.bind({ portal: query.portal, statement: query.name, values: query.values, binary: query.binary, valueMapper: pgUtils.prepareValue });
    } catch (error) {
      connection.close({ type: 'S', name: query.name });
      connection.sync();
      this.#shapes.delete(query.name);
      query.handleError(error, connection);
      return;
    }
    const result = query._result;
    result.fields = shape.fields;
    result._parsers = shape.parsers;
    result._prebuiltEmptyResultObject = shape.emptyRow;
    // As pg's handleRowDescription decides it.
    query._accumulateRows = Boolean(query.callback) || query.listeners('row').length === 0;
    query._getRows(connection, query.rows);
  }

  handleRowDescription(message: unknown): void {
    pgQuery.handleRowDescription.call(this, message);
    if (!this.#describing) return;
    const { name, _result: result } = this.#pg;
    this.#shapes.set(name, { fields: result.fields, parsers: result._parsers, emptyRow: result._prebuiltEmptyResultObject });
  }

  handleCommandComplete(message: unknown, connection: PgConnection): void {
    // Described, and no columns came: a statement without rows.
    if (this.#describing && !this.#shapes.has(this.#pg.name)) this.#shapes.set(this.#pg.name, NO_ROWS);
    pgQuery.handleCommandComplete.call(this, message, connection);
  }
}

/** Makes `client` run the registered statements named; for `pool.on('connect', …)`. */
export function prepareNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<pg.QueryResult>;
  // Bumped for a statement whose plan went stale on this connection: a new name prepares it again.
  const generations = new Map<string, number>();
  // This connection's statements' result shapes, by statement name.
  const shapes = new Map<string, ResultShape>();
  let inTransaction = false;
  const named: Query = async (text, values) => {
    const base = statementNames.get(text);
    if (base === undefined) {
      if (text === 'begin' || text.startsWith('start transaction')) inTransaction = true;
      else if (text === 'commit' || text === 'rollback') inTransaction = false;
      return query(text, values);
    }
    const run = () => new Promise<pg.QueryResult>((resolve, reject) => {
      query(new OnceDescribedQuery(shapes, { name: `${base}_${generations.get(text) ?? 0}`, text, values }, (error, result) => (error ? reject(error) : resolve(result))));
    });
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
