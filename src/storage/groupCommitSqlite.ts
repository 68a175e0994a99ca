/**
 * A Kysely driver for the embedded SQLite database that commits in groups. SQLite has one writer, and
 * on this kind of disk the commit (writing the WAL frames) costs more than the statements before it.
 * Requests that run at the same moment therefore share one commit: each database transaction runs
 * inside a savepoint of an open batch, and its `commit` resolves only once the batch has committed,
 * so no caller is answered before its change is on disk. A transaction that fails rolls back to its
 * savepoint alone, and is answered once the batch's outcome is known, since what made it fail may be
 * a change of the batch that is not yet committed. The batch commits as soon as the event loop has nothing more queued for it, and
 * ends at once when its last open transaction rolls back with nothing released into it: the write
 * lock is never held for a batch with nothing in it (other processes wait on that lock).
 *
 * Statements outside a transaction run in the open batch if there is one, and in their own implicit
 * transaction otherwise. In an open batch they see the changes released into it, which are not yet
 * committed (and may yet be lost if the commit fails): their result, read or write, is therefore
 * handed back only once the batch has committed, and not at all if it failed.
 */
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import {
  CompiledQuery, SqliteAdapter, SqliteIntrospector,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult,
} from 'kysely';
import { LiteralLimitSqliteQueryCompiler } from './sqliteQueryCompiler.ts';

export class GroupCommitSqliteDialect implements Dialect {
  constructor(private readonly database: SqliteDatabase) {}
  createAdapter() { return new TransactionalDdlSqliteAdapter(); }
  createDriver(): Driver { return new GroupCommitSqliteDriver(this.database); }
  createIntrospector(db: Kysely<unknown>) { return new SqliteIntrospector(db); }
  createQueryCompiler() { return new LiteralLimitSqliteQueryCompiler(); }
}

/**
 * SQLite runs schema changes inside transactions; Kysely's adapter says it does not, so its migrator
 * would commit each statement of a migration on its own, and a server stopped during its first start
 * would leave a half-built schema that no later start can finish. Saying so makes the migrator run
 * the pending migrations in one transaction: all of them, or none.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean { return true; }
}

const STATEMENT_CACHE_SIZE = 1000;

/**
 * Builds a statement's row objects from its rows of values. better-sqlite3 names each column of each
 * row through V8's generic property API, which costs a third of a short query with forty columns (the
 * guard's session check, the verify step's read); a function made once per statement, whose object
 * literal names the columns in order, builds the same object several times faster. Column names come
 * from SQLite's description of our own SQL, never from a request, and are written as JSON string
 * literals. A name that appears twice keeps its last value, as better-sqlite3's objects do.
 */
class RowShape {
  readonly width: number;
  readonly build: (values: unknown[]) => unknown;

  constructor(statement: Statement) {
    const names = statement.columns().map((column) => column.name);
    this.width = names.length;
    // `__proto__` as a plain key would set the prototype; in brackets it is a property like any other.
    const fields = names.map((name, i) => `${name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)}: values[${i}]`).join(', ');
    this.build = new Function('values', `return { ${fields} };`) as (values: unknown[]) => unknown;
  }
}

interface Waiter { resolve(): void; reject(error: unknown): void }

class GroupCommitSqliteDriver implements Driver {
  /** One holder of the connection at a time: a transaction's statements must not interleave with others. */
  #queue: Array<() => void> = [];
  #locked = false;
  #batchOpen = false;
  /** Transactions begun and not yet committed or rolled back. The batch commits only at zero. */
  #open = 0;
  #waiters: Waiter[] = [];
  #commitScheduled = false;
  /**
   * Prepared statements by their SQL. better-sqlite3 compiles anew on every `prepare`, which costs more
   * than running a short statement; the application runs a bounded set of SQL texts (values are
   * parameters), so each is compiled once. SQLite re-prepares a statement itself after a schema change.
   */
  #statements = new Map<string, Statement>();
  /** How each reading statement's rows become objects (see {@link RowShape}). */
  #shapes = new WeakMap<Statement, RowShape>();

  constructor(private readonly db: SqliteDatabase) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = new Connection(this);
    await connection.hold();
    return connection;
  }

  /** Waits for the connection to be free, then takes it. */
  async lock(): Promise<void> {
    if (this.#locked) await new Promise<void>((resolve) => this.#queue.push(resolve));
    this.#locked = true;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as Connection).hold();
    if (!this.#batchOpen) {
      this.prepared('BEGIN IMMEDIATE').run();
      this.#batchOpen = true;
    }
    this.prepared('SAVEPOINT twofold_tx').run();
    this.#open++;
    (connection as Connection).inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.prepared('RELEASE twofold_tx').run();
    this.#open--;
    // From here the transaction's fate is the batch's: a failed batch commit is not rolled back again.
    (connection as Connection).released = true;
    const committed = this.waitForCommit();
    // Let the next request run its transaction into the same batch while this one waits.
    (connection as Connection).releaseEarly();
    await committed;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if ((connection as Connection).released) return;
    let failure: unknown;
    try {
      this.prepared('ROLLBACK TO twofold_tx').run();
      this.prepared('RELEASE twofold_tx').run();
    } catch (error) {
      failure = error;
    } finally {
      this.#open--;
      (connection as Connection).inTransaction = false;
    }
    let batchOutcome: Promise<void> | undefined;
    if (!this.db.inTransaction) {
      // Some errors (a full disk, an interrupt) make SQLite roll back the whole batch itself, and
      // with it the changes released into it: their callers learn it, and the next transaction
      // begins a new batch.
      this.abandonBatch(failure ?? new Error('SQLite rolled back the batch'));
    } else if (this.#open === 0) {
      if (this.#waiters.length === 0) {
        // Nothing released into the batch (every release waits for the commit): end it now, so no
        // answer to this failure goes out while the write lock is still held.
        this.endEmptyBatch();
      } else {
        // Others released changes into the batch, and this failure may rest on them (an email taken
        // by a row not yet committed): its answer waits for the batch's outcome, whatever it is, as a
        // read's does. The connection is free meanwhile, for more of the batch.
        batchOutcome = this.waitForCommit();
        (connection as Connection).releaseEarly();
      }
    }
    if (batchOutcome) await batchOutcome.catch(() => undefined);
    if (failure) throw failure;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as Connection).release();
  }

  async destroy(): Promise<void> {
    if (this.#batchOpen) this.commitNow();
    this.db.close();
  }

  /** Hands the connection to the next waiting holder. */
  unlock(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#locked = false;
  }

  execute(connection: Connection, compiled: CompiledQuery): QueryResult<unknown> | Promise<QueryResult<unknown>> {
    const statement = this.prepared(compiled.sql);
    const parameters = compiled.parameters as unknown[];
    const result: QueryResult<unknown> = statement.reader
      ? { rows: this.readRows(statement, parameters) }
      : (() => {
          const { changes, lastInsertRowid } = statement.run(parameters);
          return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
        })();
    // Outside a transaction but inside an open batch, a write is durable only with the batch, and a
    // read may have seen changes released into the batch and not yet committed: either result is
    // handed back after the commit. The connection is free meanwhile, for more of the batch.
    if (!connection.inTransaction && this.#batchOpen) {
      const committed = this.waitForCommit();
      connection.release();
      return committed.then(() => result);
    }
    return result;
  }

  private prepared(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      // A bound on memory should some caller build SQL with values inlined: start over past it.
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** A reading statement's rows as objects named by their columns, as better-sqlite3 would give them. */
  private readRows(statement: Statement, parameters: unknown[]): unknown[] {
    let shape = this.#shapes.get(statement);
    if (!shape) {
      statement.raw(true);
      shape = new RowShape(statement);
      this.#shapes.set(statement, shape);
    }
    const values = statement.all(parameters) as unknown[][];
    // A schema change made elsewhere (another process's migration) makes SQLite prepare the statement
    // again, and a `*` in it may then stand for more or fewer columns: the shape is learned again.
    if (values.length > 0 && values[0]!.length !== shape.width) {
      shape = new RowShape(statement);
      this.#shapes.set(statement, shape);
    }
    // In place: a batch of thousands of rows (the status report) holds one array of them, not two.
    const rows = values as unknown[];
    for (let i = 0; i < values.length; i++) rows[i] = shape.build(values[i]!);
    return rows;
  }

  private waitForCommit(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.scheduleCommit();
    return done;
  }

  private scheduleCommit(): void {
    if (this.#commitScheduled) return;
    this.#commitScheduled = true;
    setImmediate(() => {
      this.#commitScheduled = false;
      // A transaction is still between its statements: it commits the batch when it ends.
      if (this.#open > 0) return;
      this.commitNow();
    });
  }

  private commitNow(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    try {
      if (this.#batchOpen) this.prepared('COMMIT').run();
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      if (this.db.inTransaction) this.prepared('ROLLBACK').run();
      for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.#batchOpen = false;
    }
  }

  /** Ends a batch that holds nothing to commit, giving up the write lock at once. */
  private endEmptyBatch(): void {
    if (this.db.inTransaction) this.prepared('ROLLBACK').run();
    this.#batchOpen = false;
  }

  /** The batch is gone without a commit: its waiters fail with the reason. */
  private abandonBatch(reason: unknown): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#batchOpen = false;
    this.#open = 0;
    for (const waiter of waiters) waiter.reject(reason);
  }

  /** Called when a transaction ends; a commit that was put off for it can happen now. */
  transactionEnded(): void {
    if (this.#open === 0 && this.#waiters.length > 0) this.scheduleCommit();
  }
}

class Connection implements DatabaseConnection {
  inTransaction = false;
  /** Its savepoint was released into the batch (set at commit): nothing of it can be rolled back alone. */
  released = false;
  /** Whether this connection holds the driver's one connection now; it may give it up between statements. */
  #held = false;

  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  /** Takes the connection again if it was given up while a statement waited for its batch's commit. */
  async hold(): Promise<void> {
    if (this.#held) return;
    await this.driver.lock();
    this.#held = true;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    await this.hold();
    return this.driver.execute(this, compiled) as QueryResult<R>;
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield (await this.executeQuery<R>(compiled));
  }

  releaseEarly(): void {
    this.inTransaction = false;
    this.release();
    this.driver.transactionEnded();
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    this.driver.unlock();
  }
}
