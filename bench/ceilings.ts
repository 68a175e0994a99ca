/**
 * This machine's ceilings for the two figures the benchmark measures: the same loads, sent the same
 * way, against a server that does only part of the work (bench/bareServer.ts). They say what the
 * machine allows before any of Twofold's own work: a goal above its ceiling cannot be met here by
 * making Twofold faster, only by other hardware or another way of measuring.
 */
import { fork } from 'node:child_process';
import { threadPoolSize } from '../bin/threadPool.js';
import { clientAddress, type Job } from './load.ts';
import { BENCH_PASSWORD } from './seed.ts';

/** Where the bare server reads sessions: the database the real server of this part of the run uses. */
export type SessionSource = { readonly engine: 'sqlite'; readonly file: string } | { readonly engine: 'postgres'; readonly url: string };

export interface BareServer {
  readonly base: string;
  /** The password step then a verify step, as a sign-in sends them; the bare server checks only the password. */
  signInJobs(count: number): Job[];
  /** Verify steps alone, which the bare server answers without any work. */
  verifyJobs(count: number): Job[];
  /** Empty requests: an authenticated GET that the bare server answers without reading anything. */
  emptyJobs(count: number): Job[];
  /** From now on, session reads go to this database (none: null). */
  readSessionsFrom(source: SessionSource | null): Promise<void>;
  /**
   * The same GET, answered after reading the session behind its token and that session's member: the
   * ceiling of session checks on the database being read, with any server around the read.
   */
  sessionReadJobs(tokens: readonly string[], first: number, count: number): Job[];
  /** The argon2id bound: hashes a second with every core hashing, on the server's hashing set-up. */
  hashRate(): Promise<number>;
  stop(): void;
  /** Its process, to read its CPU time (bench/cpuTime.ts). */
  readonly pid: number;
}

export async function startBareServer(): Promise<BareServer> {
  // libuv's pool sized as the `twofold` command sizes the server's (bin/twofold.js): the password
  // checks here and the bound measured here hash as the server does.
  const child = fork(new URL('./bareServer.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(threadPoolSize(process.env)) },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  /** Sends `message` over IPC and waits for the answer that has `key`. */
  const ask = <T>(message: object, key: string) => new Promise<T>((resolve) => {
    const answer = (reply: Record<string, unknown>) => {
      if (!(key in reply)) return;
      child.off('message', answer);
      resolve(reply[key] as T);
    };
    child.on('message', answer);
    child.send(message);
  });
  // The same requests, of the same size, as the real run sends.
  const verifyStep = (i: number): Job => ({
    method: 'POST', from: clientAddress(i), path: `/api/v1/transactions/0190b2c4-7c1e-7000-8000-${String(i).padStart(12, '0')}/verify`,
    body: { factorId: '0190b2c4-7c1e-7000-8000-000000000001', code: '123456' },
  });
  return {
    base: `http://127.0.0.1:${port}`,
    signInJobs: (count) => Array.from({ length: count }, (_, i) => ({
      method: 'POST', from: clientAddress(i), path: '/api/v1/sign-in', body: { email: `member-${i}@bench.example`, password: BENCH_PASSWORD, client: { kind: 'technician-console' } },
      then: () => verifyStep(i),
    })),
    verifyJobs: (count) => Array.from({ length: count }, (_, i) => verifyStep(i)),
    emptyJobs: (count) => Array.from({ length: count }, (_, i) => ({ method: 'GET', path: '/api/v1/me', from: clientAddress(i), token: 'x'.repeat(43) })),
    sessionReadJobs: (tokens, first, count) => Array.from({ length: count }, (_, i) => ({
      method: 'GET', path: '/api/v1/me?read=session', from: clientAddress((first + i) % tokens.length), token: tokens[(first + i) % tokens.length]!,
    })),
    hashRate: () => ask<number>({ measure: 'hashRate' }, 'hashRate'),
    readSessionsFrom: async (source) => { await ask<boolean>({ readSessionsFrom: source }, 'readingSessions'); },
    stop: () => child.kill('SIGTERM'),
    pid: child.pid!,
  };
}
