/**
 * Work done after the answer, so that the answer's time cannot depend on it: a password reset looks
 * the email up, makes the link and sends it only once the request has been answered the same way for
 * every email. Queuing is one insert, the same for every request.
 *
 * The queue is a table, not this process's memory: a node that stops, cleanly or with `kill -9`,
 * loses nothing it answered for. Every serving node takes due jobs from it, oldest first, one at a
 * time each: the node that queued a job after a random delay (so its work does not line up with the
 * request that queued it, nor slow the one after it), every node when it polls. A job is taken with a
 * lease; one whose node stopped half-way is taken over once its lease ends, so a job runs at least
 * once, and twice only when its node died after doing it but before saying so. A job that fails is
 * tried again later, a few times, then dropped with a warning. The table is bounded: past the bound a
 * new job is dropped with a warning, so a flood cannot fill the disk. `close` stops taking jobs and
 * runs those already due (for a while); the rest wait in the table for any node.
 */
import { randomInt } from 'node:crypto';
import { sql, type ExpressionBuilder } from 'kysely';
import { newId } from '../crypto/tokens.ts';
import type { Db } from '../storage/database.ts';
import type { Database } from '../storage/schema.ts';
import type { Context, Logger } from './context.ts';

/** A job queued by another job when it is done, in the same transaction as its end. */
export interface FollowUpJob {
  readonly kind: string;
  readonly payload: unknown;
}

/** Does one job of its kind; what it returns is queued when it is done. */
export type AfterAnswerHandler = (ctx: Context, payload: never) => Promise<readonly FollowUpJob[] | void>;

export interface AfterAnswerOptions {
  /** The longest random delay before the node that queued a job runs it. */
  readonly maxDelayMs?: number;
  /** Jobs waiting at most, across nodes; more are dropped with a warning. */
  readonly maxWaiting?: number;
  /** How long one job may run before the next one goes ahead (it is then tried again later). */
  readonly jobTimeoutMs?: number;
  /** How often each node looks for due jobs, among them those of nodes that stopped. */
  readonly pollMs?: number;
  /** Tries of a job before it is dropped. */
  readonly maxAttempts?: number;
  /** The wait before the first retry; it doubles with each. */
  readonly retryMs?: number;
}

interface Running {
  readonly ctx: Context;
  readonly handlers: Readonly<Record<string, AfterAnswerHandler>>;
}

export class AfterAnswer {
  readonly #maxDelayMs: number;
  readonly #maxWaiting: number;
  readonly #jobTimeoutMs: number;
  readonly #pollMs: number;
  readonly #maxAttempts: number;
  readonly #retryMs: number;
  #running: Running | null = null;
  #closed = false;
  /** The drain under way, if any; a wake-up during it makes it look again before it ends. */
  #draining: Promise<void> | null = null;
  #lookAgain = false;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly log: Logger,
    options: AfterAnswerOptions = {},
  ) {
    this.#maxDelayMs = options.maxDelayMs ?? 1000;
    this.#maxWaiting = options.maxWaiting ?? 10_000;
    this.#jobTimeoutMs = options.jobTimeoutMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 5_000;
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#retryMs = options.retryMs ?? 60_000;
  }

  /**
   * Makes this process one of the nodes that run the jobs (`serve`, and the tests). A process that
   * only queues (a command of the CLI) leaves them to the nodes.
   */
  start(ctx: Context, handlers: Readonly<Record<string, AfterAnswerHandler>>): void {
    if (this.#closed || this.#running) return;
    this.#running = { ctx, handlers };
    this.#wakeAfter(this.#pollMs);
    // Jobs left by a node that stopped, or queued while none ran.
    this.#wake();
  }

  /** Queues a job of `kind` (its handler is given `payload` back, as JSON); dropped with a warning past the bound. */
  async queue(kind: string, payload: unknown): Promise<void> {
    const waiting = await this.db.selectFrom('after_answer_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(waiting.n) >= this.#maxWaiting) {
      this.log.warn({ kind, waiting: Number(waiting.n) }, 'work after the answer was dropped: too much is waiting');
      return;
    }
    const now = this.clock().getTime();
    await this.db.insertInto('after_answer_jobs').values({ id: newId(), kind, payload: JSON.stringify(payload), not_before: now, created_at: now }).execute();
    if (this.#running && !this.#closed) this.#wakeAfter(randomInt(0, this.#maxDelayMs + 1), false);
  }

  /**
   * Takes no more jobs after those due now, runs them for at most `timeoutMs` (a mail server may
   * hang), and leaves the rest in the table for the other nodes or the next start.
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (!this.#running) return;
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      // The drain under way stops after its job (it sees the close); what is due then runs here.
      (async () => {
        await this.#draining;
        await this.#drain(() => Date.now() >= deadline);
      })(),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
    ]);
    clearTimeout(timer);
  }

  /** Looks for due jobs after `ms`; the poll schedules itself again. */
  #wakeAfter(ms: number, poll = true): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#closed) return;
      if (poll) this.#wakeAfter(this.#pollMs + randomInt(0, Math.max(1, Math.trunc(this.#pollMs / 5))));
      this.#wake();
    }, ms);
    // Never what keeps a process alive: `close` runs what is due.
    timer.unref();
    this.#timers.add(timer);
  }

  #wake(): void {
    if (this.#draining) {
      this.#lookAgain = true;
      return;
    }
    this.#draining = this.#drain(() => this.#closed).finally(() => { this.#draining = null; });
  }

  /** Runs due jobs one at a time until none is left or `stop` says so (checked before each job). */
  async #drain(stop: () => boolean): Promise<void> {
    do {
      this.#lookAgain = false;
      while (!stop()) {
        let ran: boolean;
        try {
          ran = await this.#runOne();
        } catch (error) {
          // The database itself failed (it may be restarting): the next poll tries again.
          this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'work after the answer could not be taken');
          return;
        }
        if (!ran) break;
      }
    } while (this.#lookAgain && !stop());
  }

  /** Takes the oldest due job, runs it and records the outcome; false when none is due. */
  async #runOne(): Promise<boolean> {
    const job = await this.#take();
    if (!job) return false;
    const { ctx, handlers } = this.#running!;
    try {
      const followUps = await this.#withTimeout(handlers[job.kind]!(ctx, JSON.parse(job.payload) as never));
      await this.db.transaction().execute(async (trx) => {
        const now = this.clock().getTime();
        for (const next of followUps ?? []) {
          await trx.insertInto('after_answer_jobs').values({ id: newId(), kind: next.kind, payload: JSON.stringify(next.payload), not_before: now, created_at: now }).execute();
        }
        await trx.deleteFrom('after_answer_jobs').where('id', '=', job.id).execute();
      });
    } catch (error) {
      const err = error instanceof Error ? error.message : String(error);
      if (job.attempts >= this.#maxAttempts) {
        this.log.warn({ kind: job.kind, attempts: job.attempts, err }, 'work after the answer failed every time and was dropped');
        await this.db.deleteFrom('after_answer_jobs').where('id', '=', job.id).execute();
      } else {
        this.log.warn({ kind: job.kind, attempts: job.attempts, err }, 'work after the answer failed; it will be tried again');
        await this.db.updateTable('after_answer_jobs')
          .set({ lease_until: null, not_before: this.clock().getTime() + this.#retryMs * 2 ** (job.attempts - 1) })
          .where('id', '=', job.id).execute();
      }
    }
    return true;
  }

  /**
   * The oldest due job nobody holds, now held by this node. Two nodes may pick the same one: the
   * update takes it only if it is still free, which PostgreSQL checks again on the row once the other
   * node's update has committed, so one of them gets it and the other picks again.
   */
  async #take(): Promise<{ id: string; kind: string; payload: string; attempts: number } | null> {
    const kinds = Object.keys(this.#running!.handlers);
    if (kinds.length === 0) return null;
    for (let tries = 0; tries < 5; tries++) {
      const now = this.clock().getTime();
      const free = (eb: ExpressionBuilder<Database, 'after_answer_jobs'>) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]);
      const due = await this.db.selectFrom('after_answer_jobs').select('id')
        // Only the kinds this node knows: during a rolling upgrade, a newer node's kinds wait for it.
        .where('kind', 'in', kinds)
        .where('not_before', '<=', now).where(free)
        .orderBy('not_before').orderBy('id').limit(1).executeTakeFirst();
      if (!due) return null;
      const taken = await this.db.updateTable('after_answer_jobs')
        .set({ lease_until: now + 2 * this.#jobTimeoutMs, attempts: sql<number>`attempts + 1` })
        .where('id', '=', due.id).where(free)
        .returning(['id', 'kind', 'payload', 'attempts']).executeTakeFirst();
      if (taken) return { ...taken, attempts: Number(taken.attempts) };
    }
    return null;
  }

  #withTimeout<T>(running: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${this.#jobTimeoutMs} ms`)), this.#jobTimeoutMs);
    });
    return Promise.race([running, limit]).finally(() => clearTimeout(timer));
  }
}
