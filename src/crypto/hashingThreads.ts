/**
 * argon2id runs on its own threads, one per core, each hashing one password at a time; the rest wait
 * their turn in order. argon2id is memory-hard: each hash sweeps 19 MiB, so more hashes at once than
 * cores only evict each other's memory from the caches. On two cores, two dedicated threads hash
 * about 15% more passwords per second than libuv's four-thread pool, and that pool stays free for the
 * file and DNS work it is shared with.
 *
 * The threads start on first use and keep the process alive only while they hash. How many there are
 * is `TWOFOLD_HASHING_THREADS` (default: one per core). Waiting jobs are bounded: past about seven
 * seconds of work per thread a new job is refused with `busy` at once (503 with Retry-After), rather
 * than answered after its caller has long given up, while memory and the wait grow without end.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Options } from '@node-rs/argon2';
import { TwofoldError } from '../core/errors.ts';

type Job =
  | { readonly kind: 'hash'; readonly password: string; readonly options: Options }
  | { readonly kind: 'verify'; readonly password: string; readonly hash: string };

interface Pending {
  readonly job: Job;
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

// The thread's whole program: plain CommonJS, so it runs without the TypeScript loader.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { hashSync, verifySync } = require(workerData.argon2);
parentPort.on('message', (job) => {
  try {
    const value = job.kind === 'hash' ? hashSync(job.password, job.options) : verifySync(job.hash, job.password);
    parentPort.postMessage({ ok: true, value });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
  }
});`;

/** A hashing thread and the jobs in its inbox, oldest first (that one is being hashed). */
interface HashingThread {
  readonly worker: Worker;
  readonly jobs: Pending[];
}

/**
 * Each thread holds the job it is hashing and the next one, so it starts the next the moment it is
 * done instead of waiting for the request thread (often busy) to hand it one.
 */
const JOBS_PER_THREAD = 2;

/** Jobs that may wait per thread beyond those in its inbox: about seven seconds of 15 ms hashes. */
export const WAITING_JOBS_PER_THREAD = 500;

export class HashingThreads {
  readonly #threads: HashingThread[] = [];
  readonly #queue: Pending[] = [];
  #started = false;
  #size: number;

  constructor(size: number, private readonly waitingPerThread = WAITING_JOBS_PER_THREAD) {
    this.#size = size;
  }

  /** How many threads hash; settable until the first job starts them. */
  get size(): number {
    return this.#size;
  }

  set size(size: number) {
    if (this.#started && size !== this.#size) throw new Error('the hashing threads have already started');
    this.#size = size;
  }

  run(job: Job): Promise<string | boolean> {
    if (!this.#started) this.#start();
    if (this.#queue.length >= this.#size * this.waitingPerThread) {
      return Promise.reject(new TwofoldError('busy', 'The server is busy. Try again in a moment.', { retryAfterSeconds: 1 }));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      this.#dispatch();
    });
  }

  #start(): void {
    this.#started = true;
    const argon2 = createRequire(import.meta.url).resolve('@node-rs/argon2');
    for (let i = 0; i < this.#size; i++) this.#spawn(argon2);
  }

  #spawn(argon2: string): void {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { argon2 }, name: 'argon2id', execArgv: [] });
    const thread: HashingThread = { worker, jobs: [] };
    worker.on('message', (answer: { ok: true; value: string | boolean } | { ok: false; message: string }) => {
      const pending = thread.jobs.shift();
      if (thread.jobs.length === 0) worker.unref();
      if (answer.ok) pending?.resolve(answer.value);
      else pending?.reject(new Error(answer.message));
      this.#dispatch();
    });
    // A thread that dies (out of memory, say) fails its jobs and is replaced.
    worker.on('error', (error) => {
      this.#threads.splice(this.#threads.indexOf(thread), 1);
      for (const pending of thread.jobs.splice(0)) pending.reject(error);
      this.#spawn(argon2);
      this.#dispatch();
    });
    // After the listeners: adding a 'message' listener refs the thread's port again.
    worker.unref();
    this.#threads.push(thread);
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let thread: HashingThread | undefined;
      for (const candidate of this.#threads) {
        if (candidate.jobs.length < JOBS_PER_THREAD && (!thread || candidate.jobs.length < thread.jobs.length)) thread = candidate;
      }
      if (!thread) return;
      const pending = this.#queue.shift()!;
      thread.jobs.push(pending);
      // Held while it has work, so a command waiting for a hash does not exit first.
      thread.worker.ref();
      thread.worker.postMessage(pending.job);
    }
  }

  /** Ends the threads (a test's own instance; the process-wide one lives as long as the process). */
  async close(): Promise<void> {
    await Promise.all(this.#threads.splice(0).map((thread) => thread.worker.terminate()));
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
