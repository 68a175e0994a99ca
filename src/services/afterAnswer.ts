/**
 * Work done after the answer, so that the answer's time cannot depend on it: a password reset looks
 * the email up, makes the link and sends it only once the request has been answered the same way for
 * every email. Each job starts after a random delay, so it does not line up with the request that
 * queued it (nor slow the one after it), then runs alone, in turn: the last email sent carries the
 * last link made. The queue is bounded, and each job has a time limit, so a flood or a hung mail
 * server cannot grow memory or hold every later job back for long. `close` waits for what was
 * queued (for a while), then drops the rest, saying how many, and takes no more.
 */
import { randomInt } from 'node:crypto';
import type { Logger } from './context.ts';

export interface AfterAnswerOptions {
  /** The longest random delay before a job starts. */
  readonly maxDelayMs?: number;
  /** Jobs waiting at most; more are dropped with a warning. */
  readonly maxPending?: number;
  /** How long one job may run before the next one goes ahead. */
  readonly jobTimeoutMs?: number;
}

export class AfterAnswer {
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;
  #idle: Array<() => void> = [];
  #closed = false;
  readonly #maxDelayMs: number;
  readonly #maxPending: number;
  readonly #jobTimeoutMs: number;

  constructor(private readonly log: Logger, options: AfterAnswerOptions = {}) {
    this.#maxDelayMs = options.maxDelayMs ?? 1000;
    this.#maxPending = options.maxPending ?? 1000;
    this.#jobTimeoutMs = options.jobTimeoutMs ?? 30_000;
  }

  /** Runs `job` later; a failure is logged under `what` (never with the job's secrets). */
  run(what: string, job: () => Promise<void>): void {
    if (this.#closed || this.#pending >= this.#maxPending) {
      this.log.warn({ pending: this.#pending, closed: this.#closed }, `${what} was dropped`);
      return;
    }
    this.#pending++;
    setTimeout(() => {
      this.#queue = this.#queue
        .then(() => (this.#closed ? this.log.warn({}, `${what} was dropped at stop`) : this.#withTimeout(job())))
        .catch((error: unknown) => this.log.warn({ err: error instanceof Error ? error.message : String(error) }, `${what} failed`))
        .finally(() => this.#done());
    }, randomInt(0, this.#maxDelayMs + 1));
  }

  /**
   * Takes no more jobs and resolves once those queued have run, or after `timeoutMs` (a mail server
   * may hang): the ones not yet started are then dropped, each with a warning.
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#pending > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.#idle.push(resolve)),
        new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
      ]);
      clearTimeout(timer);
    }
    this.#closed = true;
  }

  #withTimeout(running: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${this.#jobTimeoutMs} ms`)), this.#jobTimeoutMs);
    });
    return Promise.race([running, limit]).finally(() => clearTimeout(timer));
  }

  #done(): void {
    if (--this.#pending > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
