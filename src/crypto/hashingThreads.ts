/**
 * argon2id runs on libuv's thread pool, through @node-rs/argon2's asynchronous functions: no
 * JavaScript runs on those threads, so they cost no V8 heap of their own. The `twofold` command sizes
 * the pool to the hashing threads, one per core by default (`TWOFOLD_HASHING_THREADS`), before
 * anything starts it (bin/twofold.js). argon2id is memory-hard: each hash sweeps 19 MiB, so more
 * hashes at once than cores only evict each other's memory from the caches.
 *
 * When the pool has exactly the hashing threads, twice as many jobs are handed to it: each thread
 * hashes one and the next waits in libuv's own queue, so a thread starts it the moment it is done
 * instead of waiting for the request thread (often busy) to hand it over. In a pool of another size
 * (one the operator chose, or a test's process), one job per hashing thread is handed over at a time.
 * The rest wait here, in order, and are bounded: past about seven seconds of work per thread a new
 * job is refused with `busy` at once (503 with Retry-After), rather than answered after its caller
 * has long given up, while memory and the wait grow without end.
 */
import { availableParallelism } from 'node:os';
import { hash, verify, type Options } from '@node-rs/argon2';
import { TwofoldError } from '../core/errors.ts';

type Job =
  | { readonly kind: 'hash'; readonly password: string; readonly options: Options }
  | { readonly kind: 'verify'; readonly password: string; readonly hash: string };

interface Pending {
  readonly job: Job;
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

/** Jobs that may wait per thread beyond those handed to the pool: about seven seconds of 15 ms hashes. */
export const WAITING_JOBS_PER_THREAD = 500;

export class HashingThreads {
  readonly #waiting: Pending[] = [];
  #handedOver = 0;
  #started = false;
  #size: number;

  /**
   * @param poolSize - the threads of libuv's pool, when known: `UV_THREADPOOL_SIZE` as the process
   *   started (the pool reads it once, when first used).
   */
  constructor(size: number, private readonly waitingPerThread = WAITING_JOBS_PER_THREAD, private readonly poolSize = Number(process.env.UV_THREADPOOL_SIZE)) {
    this.#size = size;
  }

  /** How many threads hash; settable until the first job. */
  get size(): number {
    return this.#size;
  }

  set size(size: number) {
    if (this.#started && size !== this.#size) throw new Error('the hashing threads have already started');
    this.#size = size;
  }

  /** Jobs in libuv's pool at once: each thread's next one too, when the pool is the hashing threads. */
  get #inPool(): number {
    return this.poolSize === this.#size ? 2 * this.#size : this.#size;
  }

  run(job: Job): Promise<string | boolean> {
    this.#started = true;
    if (this.#waiting.length >= this.#size * this.waitingPerThread) {
      return Promise.reject(new TwofoldError('busy', 'The server is busy. Try again in a moment.', { retryAfterSeconds: 1 }));
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ job, resolve, reject });
      this.#handOver();
    });
  }

  #handOver(): void {
    while (this.#waiting.length > 0 && this.#handedOver < this.#inPool) {
      const { job, resolve, reject } = this.#waiting.shift()!;
      this.#handedOver++;
      const hashing: Promise<string | boolean> = job.kind === 'hash' ? hash(job.password, job.options) : verify(job.hash, job.password);
      hashing.then(resolve, reject).finally(() => {
        this.#handedOver--;
        this.#handOver();
      });
    }
  }
}

const threads = new HashingThreads(Math.max(1, availableParallelism()));

/** Sets how many threads hash (TWOFOLD_HASHING_THREADS); only before the first hash. */
export function setHashingThreads(size: number): void {
  threads.size = size;
}

export async function hashOnThread(password: string, options: Options): Promise<string> {
  return await threads.run({ kind: 'hash', password, options }) as string;
}

export async function verifyOnThread(hash: string, password: string): Promise<boolean> {
  return await threads.run({ kind: 'verify', password, hash }) as boolean;
}
