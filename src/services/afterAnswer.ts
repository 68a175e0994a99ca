/**
 * Work done after the answer, so that the answer's time cannot depend on it: a password reset looks
 * the email up, makes the link and sends it only once the request has been answered the same way for
 * every email. Each job starts after a random delay, so it does not line up with the request that
 * queued it (nor slow the one after it), then runs alone, in turn: the last email sent carries the
 * last link made. `close` waits for what was queued, so a stop does not drop an answered request.
 */
import { randomInt } from 'node:crypto';
import type { Logger } from './context.ts';

export class AfterAnswer {
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;
  #idle: Array<() => void> = [];

  constructor(private readonly log: Logger, private readonly maxDelayMs = 1000) {}

  /** Runs `job` later; a failure is logged under `what` (never with the job's secrets). */
  run(what: string, job: () => Promise<void>): void {
    this.#pending++;
    setTimeout(() => {
      this.#queue = this.#queue
        .then(job)
        .catch((error: unknown) => this.log.warn({ err: error instanceof Error ? error.message : String(error) }, `${what} failed`))
        .finally(() => this.#done());
    }, randomInt(0, this.maxDelayMs + 1));
  }

  /** Resolves once every job queued so far has run, or after `timeoutMs` (a mail server may hang). */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#pending === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.#idle.push(resolve)),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
    ]);
    clearTimeout(timer);
  }

  #done(): void {
    if (--this.#pending > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
