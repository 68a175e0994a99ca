/**
 * One engine's part of `npm run bench`: seeds the small and the large organizations, starts the real
 * server (`twofold serve`, its own process) on that engine, warms it up, and sends it the loads, each
 * beside its baseline on the bare server (bench/ceilings.ts) measured in rounds alternating with it,
 * as this machine's speed drifts from minute to minute.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { totpCode, totpStepAt } from '../src/methods/totp.ts';
import { openRuntime } from '../src/runtime.ts';
import type { Context } from '../src/services/context.ts';
import { beginTransaction } from '../src/services/signIn/begin.ts';
import type { BareServer } from './ceilings.ts';
import { combineCpu, measureCpu, type CpuPerJob } from './cpuTime.ts';
import type { BenchDatabase } from './database.ts';
import { masterSession, prepareLargeOrganization, settingsWithNewPrimary, timeAdminPages, timeMustUseDecision, timeRequest, type LargeOrganization, type Timing } from './largeOrg.ts';
import { clientAddress, combineLoads, runLoad, type Job, type LoadResult } from './load.ts';
import { BENCH_PASSWORD, seedOrganization, type SeededMember } from './seed.ts';

export interface BenchSizes {
  readonly signIns: number;
  /** Sign-ins sent to each server, and not counted, before the measured ones (0: none). */
  readonly warmUpSignIns: number;
  readonly verifies: number;
  readonly sessionChecks: number;
  /** The large organization's members (0 skips the large-organization figures), and the small one's for comparison. */
  readonly largeMembers: number;
  readonly largeGroups: number;
  readonly smallerMembers: number;
  readonly largeSignIns: number;
  readonly auditEvents: number;
  /** Rounds of a load and its baseline, one after the other, for the two goals judged against the bare server. */
  readonly rounds: number;
  /** Times each Admin Center request is sent (the median is reported). */
  readonly runs: number;
}

export interface EngineFigures {
  readonly engine: string;
  /** argon2id hashes per second, the mean of a measure before and after the sign-ins. */
  readonly hashRate: number;
  readonly signIns: LoadResult;
  /** The first sign-ins after the server started (the warm-up), for comparison; null without a warm-up. */
  readonly coldSignIns: LoadResult | null;
  readonly bareSignIns: LoadResult;
  readonly verifies: LoadResult;
  /**
   * The verify steps' rounds, each beside the argon2id bound measured right after it (see
   * roundsBesideTheBound): the goal is judged by the median of their ratios.
   */
  readonly verifyRatios: readonly number[];
  /** The mean of the bounds measured beside the verify steps. */
  readonly verifyBound: number;
  readonly sessionChecks: LoadResult;
  readonly bareEmpty: LoadResult;
  /**
   * The bare server's session checks that read the session and its member on this engine's database,
   * beside its empty requests: the ceiling of session checks on this machine and engine.
   */
  readonly sessionReads: LoadResult;
  readonly sessionReadRatios: readonly number[];
  /** Each round's rate beside its baseline's (see pairedRounds): a goal is judged by their median. */
  readonly signInRatios: readonly number[];
  readonly sessionCheckRatios: readonly number[];
  /** PostgreSQL prepared primary-key reads a second with the server idle (bench/database.ts); null on SQLite. */
  readonly statementRate: number | null;
  /** CPU time per job of the loads a ratio compares (bench/cpuTime.ts); null without /proc. */
  readonly cpu: {
    readonly signIn: CpuPerJob | null; readonly bareSignIn: CpuPerJob | null; readonly sessionCheck: CpuPerJob | null; readonly bareEmpty: CpuPerJob | null;
    readonly sessionRead: CpuPerJob | null;
  };
  readonly rssAfterLoadsMb: number;
  readonly rssAtEndMb: number;
  readonly sessionStorage: { bytes: number; sessions: number; bytesPerSession: number };
  readonly large: LargeFigures | null;
  readonly seconds: number;
}

export interface LargeFigures {
  readonly members: number;
  readonly signIns: LoadResult;
  /** The small organization's sign-ins sent in rounds alternating with them, and each round's ratio. */
  readonly smallSignIns: LoadResult;
  readonly signInRatios: readonly number[];
  readonly decision: { p50Ms: number; p99Ms: number };
  readonly pages: Record<string, Timing>;
  readonly csv: Timing;
  /** By organization size. */
  readonly preview: Record<number, Timing>;
  readonly save: Record<number, Timing>;
}

const SIGN_IN_CONCURRENCY = 16;
const VERIFY_CONCURRENCY = 64;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

export async function runEngine(database: BenchDatabase, bare: BareServer, sizes: BenchSizes, log: (line: string) => void): Promise<EngineFigures> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env, TWOFOLD_DATA_DIR: database.dataDir, TWOFOLD_LOG_LEVEL: 'warn', TWOFOLD_DRAIN_SECONDS: '0',
    // The load generator is the load balancer: each simulated client's address comes in X-Forwarded-For.
    TWOFOLD_TRUSTED_PROXIES: '127.0.0.1',
  };
  delete env.DATABASE_URL;
  if (database.url) env.DATABASE_URL = database.url;
  const phase = timer(log, database.engine);

  // Seeded before the server starts, through the same code and database.
  const runtime = await openRuntime(loadConfig(env), env, quiet);
  let members: SeededMember[];
  let large: LargeOrganization | null = null;
  let smaller: LargeOrganization | null = null;
  let decision = { p50Ms: 0, p99Ms: 0 };
  try {
    members = shuffle(await seedOrganization(runtime.ctx, sizes.signIns + sizes.verifies + sizes.warmUpSignIns + (sizes.largeMembers > 0 ? sizes.largeSignIns : 0)));
    phase(`seeded ${members.length} members`);
    if (sizes.largeMembers > 0) {
      large = await prepareLargeOrganization(runtime.ctx, { members: sizes.largeMembers, groups: sizes.largeGroups, signIns: sizes.largeSignIns, auditEvents: sizes.auditEvents, suffix: 'large' });
      phase(`generated the ${sizes.largeMembers}-member organization and ${sizes.auditEvents} audit events`);
      smaller = await prepareLargeOrganization(runtime.ctx, { members: sizes.smallerMembers, groups: Math.max(10, Math.round(sizes.largeGroups * sizes.smallerMembers / sizes.largeMembers)), signIns: 0, auditEvents: 0, suffix: 'smaller' });
      decision = await timeMustUseDecision(runtime.ctx, large.organizationId, 2_000);
    }
  } finally {
    await runtime.close();
  }
  await database.settle();
  phase('settled (PostgreSQL: VACUUM ANALYZE)');

  const port = await freePort();
  // Started as `npm start` starts it: with the Node options of the command's first line.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const server = spawn(process.execPath, [...commandNodeOptions(), ...profile, 'bin/twofold.js', 'serve'], {
    env: { ...env, PORT: String(port), TWOFOLD_HOST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitReady(base, server);
    const tokens: string[] = [];
    // The seeded members in consecutive parts: each signs in once.
    let taken = 0;
    const take = (count: number) => members.slice(taken, (taken += count));
    const [measured, verifying, warmUpMembers, besideLarge] = [take(sizes.signIns), take(sizes.verifies), take(sizes.warmUpSignIns), take(members.length)];
    // A server serves for days: its code is compiled and optimized by V8 after its first requests,
    // and the bare server's too. The first sign-ins after the start are measured on their own.
    let coldSignIns: LoadResult | null = null;
    if (warmUpMembers.length > 0) {
      coldSignIns = await runLoad(base, signInJobs(warmUpMembers, tokens, 200_000), SIGN_IN_CONCURRENCY);
      await runLoad(bare.base, bare.signInJobs(warmUpMembers.length), SIGN_IN_CONCURRENCY);
      phase(`warm-up: ${warmUpMembers.length} sign-ins on each server`);
    }
    const hashRateBefore = await bare.hashRate();
    const twofold: Target = { base, pid: server.pid! };
    const signInRounds = await pairedRounds(twofold, bare, sizes.signIns, sizes.rounds, SIGN_IN_CONCURRENCY,
      (first, count) => signInJobs(measured.slice(first, first + count), tokens, first), (_first, count) => bare.signInJobs(count));
    const hashRate = (hashRateBefore + await bare.hashRate()) / 2;
    phase('sign-ins');
    // Opened now, beside the running server, not before the sign-ins: a verify step must come within
    // the transaction's lifetime, and the sign-ins take minutes on a slow or busy machine.
    const stepsRuntime = await openRuntime(loadConfig(env), env, quiet);
    const transactions = await openVerifySteps(stepsRuntime.ctx, verifying).finally(() => stepsRuntime.close());
    phase(`opened ${transactions.length} verify steps`);
    const verifyJobs = transactions.map(({ id, member }, i) => verifyJob(id, member, clientAddress(sizes.signIns + i), tokens));
    const verifyRounds = await roundsBesideTheBound(base, bare, verifyJobs, sizes.rounds, VERIFY_CONCURRENCY);
    phase('verify steps, beside the argon2id bound');
    const check = (i: number): Job => ({ method: 'GET', path: '/api/v1/me', token: tokens[i % tokens.length]!, from: clientAddress(i % tokens.length) });
    const checkRounds = await pairedRounds(twofold, bare, sizes.sessionChecks, sizes.rounds, VERIFY_CONCURRENCY,
      (first, count) => Array.from({ length: count }, (_, i) => check(first + i)), (_first, count) => bare.emptyJobs(count));
    phase('session checks');
    // The ceiling of session checks: the same GETs, answered by the bare server after the one read a
    // session check cannot do without (the session and its member), in rounds beside its empty requests.
    await bare.readSessionsFrom(database.sessionSource);
    const readRounds = await pairedRounds(bare, bare, sizes.sessionChecks, sizes.rounds, VERIFY_CONCURRENCY,
      (first, count) => bare.sessionReadJobs(tokens, first, count), (_first, count) => bare.emptyJobs(count)).finally(() => bare.readSessionsFrom(null));
    phase('the bare server\'s session reads');
    const rssAfterLoadsMb = rssMb(server);
    // With the server idle: what the database alone answers, the ceiling of the loads above.
    const statementRate = await database.statementRate();

    let largeFigures: LargeFigures | null = null;
    if (large && smaller) {
      // Beside as many sign-ins of the small organization, in rounds: its figure above was measured
      // minutes earlier.
      const largeMembers = large.signIns;
      const largeRounds = await pairedRounds(twofold, twofold, largeMembers.length, sizes.rounds, SIGN_IN_CONCURRENCY,
        (first, count) => signInJobs(largeMembers.slice(first, first + count), [], 100_000 + first),
        (first, count) => signInJobs(besideLarge.slice(first, first + count), [], 300_000 + first));
      phase(`sign-ins in the ${large.members}-member organization, beside the small one's`);
      const token = await masterSession(base, large);
      const pages = await timeAdminPages(base, token, sizes.runs);
      const csv = await timeRequest(base, token, Math.max(1, Math.ceil(sizes.runs / 2)), { path: '/api/v1/reports/two-step-verification/members?format=csv' });
      phase('Admin Center pages and the status CSV');
      const preview: Record<number, Timing> = {};
      const save: Record<number, Timing> = {};
      // Saves last: each resets every member of its organization.
      for (const org of [smaller, large]) {
        const orgToken = await masterSession(base, org);
        const current = await (await fetch(`${base}/api/v1/settings/two-step-verification`, { headers: { authorization: `Bearer ${orgToken}` } })).json() as { masterAdministrators: boolean; administrators: boolean; technicians: string };
        const body = settingsWithNewPrimary(current);
        preview[org.members] = await timeRequest(base, orgToken, sizes.runs, { method: 'POST', path: '/api/v1/settings/two-step-verification/preview', body });
        save[org.members] = await timeRequest(base, orgToken, sizes.runs, { method: 'PUT', path: '/api/v1/settings/two-step-verification', body });
      }
      phase('Global Settings previews and saves');
      largeFigures = { members: large.members, signIns: largeRounds.load, smallSignIns: largeRounds.baseline, signInRatios: largeRounds.ratios, decision, pages, csv, preview, save };
    }
    const rssAtEndMb = rssMb(server);
    await stop(server);
    const storage = await database.sessionStorage();
    return {
      engine: database.engine, hashRate, signIns: signInRounds.load, coldSignIns, bareSignIns: signInRounds.baseline, signInRatios: signInRounds.ratios,
      verifies: verifyRounds.load, verifyRatios: verifyRounds.ratios, verifyBound: verifyRounds.meanBound, sessionChecks: checkRounds.load, bareEmpty: checkRounds.baseline, sessionCheckRatios: checkRounds.ratios,
      sessionReads: readRounds.load, sessionReadRatios: readRounds.ratios, statementRate, rssAfterLoadsMb, rssAtEndMb,
      cpu: { signIn: signInRounds.cpu, bareSignIn: signInRounds.baselineCpu, sessionCheck: checkRounds.cpu, bareEmpty: checkRounds.baselineCpu, sessionRead: readRounds.cpu },
      sessionStorage: { ...storage, bytesPerSession: storage.sessions > 0 ? storage.bytes / storage.sessions : 0 },
      large: largeFigures, seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (server.exitCode === null && server.signalCode === null) await stop(server);
  }
}

/** A server the loads go to: its address, and its process for its CPU time. */
interface Target {
  readonly base: string;
  readonly pid: number;
}

interface PairedRounds {
  /** The rounds of the load as one, and of its baseline as one. */
  readonly load: LoadResult;
  readonly baseline: LoadResult;
  readonly ratios: readonly number[];
  readonly cpu: CpuPerJob | null;
  readonly baselineCpu: CpuPerJob | null;
}

/**
 * Sends `jobs` jobs to `target` and as many to `baseline` in `rounds` alternating rounds (a round of
 * the target's, then one of the baseline's, and so on): this machine's speed drifts within a run, and
 * a ratio of two loads measured a few seconds apart, judged by the median of several, says more than
 * one ratio of two loads measured once each.
 */
async function pairedRounds(
  target: Target, baseline: Target, jobs: number, rounds: number, concurrency: number,
  targetJobs: (first: number, count: number) => Job[], baselineJobs: (first: number, count: number) => Job[],
): Promise<PairedRounds> {
  const parts: Array<{ load: LoadResult; cpu: CpuPerJob | null; baseline: LoadResult; baselineCpu: CpuPerJob | null }> = [];
  for (let round = 0; round < rounds; round++) {
    const first = Math.floor((jobs * round) / rounds);
    const count = Math.floor((jobs * (round + 1)) / rounds) - first;
    const { result: load, cpu } = await measureCpu(target.pid, () => runLoad(target.base, targetJobs(first, count), concurrency));
    const { result: base, cpu: baselineCpu } = await measureCpu(baseline.pid, () => runLoad(baseline.base, baselineJobs(first, count), concurrency));
    parts.push({ load, cpu, baseline: base, baselineCpu });
  }
  const jobsOf = (load: LoadResult) => load.completed + load.failed;
  return {
    load: combineLoads(parts.map((p) => p.load)),
    baseline: combineLoads(parts.map((p) => p.baseline)),
    ratios: parts.map((p) => p.load.perSecond / p.baseline.perSecond),
    cpu: combineCpu(parts.map((p) => ({ cpu: p.cpu, jobs: jobsOf(p.load) }))),
    baselineCpu: combineCpu(parts.map((p) => ({ cpu: p.baselineCpu, jobs: jobsOf(p.baseline) }))),
  };
}

/**
 * Sends `jobs` to `base` in `rounds` rounds, each followed by a measure of the argon2id bound (the
 * bare server's process hashing on every core, a few seconds): the verify steps' goal is a ratio to
 * that bound, and this machine's speed drifts within a run, so each round's rate is compared with
 * the bound measured beside it rather than with one measured earlier, during the sign-ins.
 */
async function roundsBesideTheBound(
  base: string, bare: { hashRate(): Promise<number> }, jobs: readonly Job[], rounds: number, concurrency: number,
): Promise<{ load: LoadResult; ratios: number[]; meanBound: number }> {
  const parts: LoadResult[] = [];
  const bounds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const first = Math.floor((jobs.length * round) / rounds);
    parts.push(await runLoad(base, jobs.slice(first, Math.floor((jobs.length * (round + 1)) / rounds)), concurrency));
    bounds.push(await bare.hashRate());
  }
  return {
    load: combineLoads(parts),
    ratios: parts.map((part, i) => part.perSecond / bounds[i]!),
    meanBound: bounds.reduce((sum, bound) => sum + bound, 0) / bounds.length,
  };
}

/** Password then TOTP, each member from its own address; the session tokens are kept for the session checks. */
function signInJobs(members: readonly SeededMember[], tokens: string[], firstClient: number): Job[] {
  return members.map((m, i) => {
    const from = clientAddress(firstClient + i);
    return {
      method: 'POST', path: '/api/v1/sign-in', from,
      body: { email: m.email, password: BENCH_PASSWORD, client: { kind: 'technician-console' } },
      then: (answer) => verifyJob((answer as { id: string }).id, m, from, tokens),
    };
  });
}

function verifyJob(transactionId: string, member: SeededMember, from: string, tokens: string[]): Job {
  return {
    method: 'POST', path: `/api/v1/transactions/${transactionId}/verify`, from,
    // The code of the moment the request is built, not of when the jobs were made.
    get body() { return { factorId: member.factorId, code: totpCode(member.seed, totpStepAt(new Date())) }; },
    then: (answer) => {
      const token = (answer as { session?: { token: string } }).session?.token;
      if (token) tokens.push(token);
      return null;
    },
  };
}

/** The verify-step transactions, opened eight at a time (PostgreSQL answers them in parallel). */
async function openVerifySteps(ctx: Context, members: readonly SeededMember[]): Promise<Array<{ id: string; member: SeededMember }>> {
  const opened: Array<{ id: string; member: SeededMember }> = [];
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < members.length) {
      const member = members[next++]!;
      const row = await ctx.db.selectFrom('members').selectAll().where('id', '=', member.id).executeTakeFirstOrThrow();
      const { view } = await beginTransaction(ctx, { member: row, purpose: 'sign_in', client: { kind: 'technician-console' }, ip: '127.0.0.1' });
      if (view.state !== 'verify') throw new Error(`expected verify, got ${view.state}`);
      opened.push({ id: view.id, member });
    }
  }));
  return opened;
}

function rssMb(child: ChildProcess): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

function timer(log: (line: string) => void, engine: string): (what: string) => void {
  let last = performance.now();
  return (what) => {
    const now = performance.now();
    log(`  [${engine}] ${what}: ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitReady(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not become ready');
}

/**
 * The Node options `#!/usr/bin/env -S node …` gives the command when it is run as a program, and any
 * of BENCH_SERVER_FLAGS (`--perf-basic-prof` to read the server with `perf`, for example).
 */
function commandNodeOptions(): string[] {
  const shebang = readFileSync('bin/twofold.js', 'utf8').split('\n', 1)[0]!;
  const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);
  return [...words(shebang.replace(/^#!.*?\bnode\b/, '')), ...words(process.env.BENCH_SERVER_FLAGS ?? '')];
}
