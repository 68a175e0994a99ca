/**
 * `npm run bench`: the figures whose goals docs/decisions.md "The benchmark runs the real server"
 * states, measured in one run on this machine.
 *   1. argon2id hashes per second: the bound on password sign-ins;
 *   2. complete sign-ins per second, password and TOTP, over HTTP (goal: at least 85% of the bound);
 *   3. verify steps per second without the password, over HTTP (goal: at least 5,000).
 * The server runs as its own process (`twofold serve`) on the embedded SQLite database, as the
 * quickstart does; the load comes from this process over loopback with keep-alive connections.
 * Each load is also sent to a bare server that does only part of the work (bench/ceilings.ts), so
 * the report shows how far this machine lets each figure go at all.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { hashPassword } from '../src/crypto/passwords.ts';
import { totpCode, totpStepAt } from '../src/methods/totp.ts';
import { openRuntime } from '../src/runtime.ts';
import { beginTransaction } from '../src/services/signIn/begin.ts';
import { startBareServer } from './ceilings.ts';
import { runLoad, type Job, type LoadResult } from './load.ts';
import { BENCH_PASSWORD, seedOrganization } from './seed.ts';

const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 1500);
const VERIFIES = Number(process.env.BENCH_VERIFIES ?? 30000);
/** Clients in flight; BENCH_SIGN_INS, BENCH_VERIFIES and BENCH_VERIFY_CONCURRENCY change the run. */
const SIGN_IN_CONCURRENCY = 16;
const VERIFY_CONCURRENCY = Number(process.env.BENCH_VERIFY_CONCURRENCY ?? 64);

const log = (line: string) => process.stdout.write(`${line}\n`);
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function main(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, TWOFOLD_DATA_DIR: dataDir, TWOFOLD_SECRET_KEY: randomBytes(32).toString('hex'), TWOFOLD_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
  try {
    log(`Twofold benchmark: ${SIGN_INS} sign-ins, ${VERIFIES} verify steps, SQLite in ${dataDir}`);
    bare = await startBareServer();
    // The bound is measured before and again right after the sign-ins, and the two averaged: this
    // machine's speed drifts by several percent from minute to minute.
    const hashRateBefore = await measureArgon2();
    log(`argon2id hashes per second (m=19456 KiB, t=2, p=1), before the sign-ins: ${hashRateBefore.toFixed(1)}`);

    // Seed members and open the verify-step transactions before the server starts.
    const runtime = await openRuntime(loadConfig(env), env, quiet);
    // Shuffled: members sign in in no particular order, so their rows are touched at random.
    const members = shuffle(await seedOrganization(runtime.ctx, SIGN_INS + VERIFIES));
    const signInMembers = members.slice(0, SIGN_INS);
    const verifyMembers = members.slice(SIGN_INS);
    const rows = await runtime.ctx.db.selectFrom('members').selectAll().where('id', 'in', verifyMembers.slice(0, 1).map((m) => m.id)).execute();
    if (rows.length !== 1) throw new Error('seeding failed');
    const transactions: Array<{ id: string; factorId: string; seed: Buffer }> = [];
    for (const member of verifyMembers) {
      const row = await runtime.ctx.db.selectFrom('members').selectAll().where('id', '=', member.id).executeTakeFirstOrThrow();
      const { view } = await beginTransaction(runtime.ctx, { member: row, purpose: 'sign_in', client: { kind: 'technician-console' }, ip: '127.0.0.1' });
      if (view.state !== 'verify') throw new Error(`expected verify, got ${view.state}`);
      transactions.push({ id: view.id, factorId: member.factorId, seed: member.seed });
    }
    await runtime.close();

    const port = await freePort();
    // BENCH_PROFILE=DIR writes the server's CPU profile there, to see where a request's time goes.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    const server = spawn(process.execPath, [...profile, 'bin/twofold.js', 'serve'], { env: { ...env, PORT: String(port), TWOFOLD_HOST: '127.0.0.1' }, stdio: ['ignore', 'inherit', 'inherit'] });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitReady(base);
      const code = (seed: Buffer) => totpCode(seed, totpStepAt(new Date()));

      const signInJobs: Job[] = signInMembers.map((m) => ({
        method: 'POST', path: '/api/v1/sign-in',
        body: { email: m.email, password: BENCH_PASSWORD, client: { kind: 'technician-console' } },
        then: (answer) => ({ method: 'POST', path: `/api/v1/transactions/${(answer as { id: string }).id}/verify`, body: { factorId: m.factorId, code: code(m.seed) } }),
      }));
      const signInCpu = cpuSince(server.pid!);
      const signIns = await runLoad(base, signInJobs, SIGN_IN_CONCURRENCY);
      signInCpu.report('sign-ins');
      // Between the two measurements of the bound, like the real sign-ins.
      const bareSignIns = await runLoad(bare.base, bare.signInJobs(SIGN_INS), SIGN_IN_CONCURRENCY);
      const hashRateAfter = await measureArgon2();
      const hashRate = (hashRateBefore + hashRateAfter) / 2;
      log(`argon2id hashes per second, after the sign-ins: ${hashRateAfter.toFixed(1)}; the bound (their mean): ${hashRate.toFixed(1)}`);
      report('complete sign-ins per second (password + TOTP)', signIns);

      const verifyJobs: Job[] = transactions.map((tx) => ({
        method: 'POST', path: `/api/v1/transactions/${tx.id}/verify`, body: { factorId: tx.factorId, code: code(tx.seed) },
      }));
      const verifyCpu = cpuSince(server.pid!);
      const verifies = await runLoad(base, verifyJobs, VERIFY_CONCURRENCY);
      verifyCpu.report('verify');
      report('verify steps per second (TOTP, no password)', verifies);
      const bareVerifies = await runLoad(bare.base, bare.verifyJobs(VERIFIES), VERIFY_CONCURRENCY);

      const share = signIns.perSecond / hashRate;
      const goals = [
        { name: 'sign-ins ≥ 85% of the argon2id bound', ok: share >= 0.85 && signIns.failed === 0, value: `${(share * 100).toFixed(1)}%` },
        { name: 'verify steps ≥ 5,000 per second', ok: verifies.perSecond >= 5000 && verifies.failed === 0, value: verifies.perSecond.toFixed(0) },
      ];
      log('');
      for (const goal of goals) log(`${goal.ok ? 'MET    ' : 'MISSED '} ${goal.name}: ${goal.value}`);
      const ceilings = {
        signIns: { ...summary(bareSignIns), shareOfBound: bareSignIns.perSecond / hashRate },
        verifies: summary(bareVerifies),
      };
      log('');
      log('This machine\'s ceilings: the same loads against a bare node:http server with no framework and no database');
      log(`  sign-ins when it only checks the password: ${bareSignIns.perSecond.toFixed(1)} per second, ${(ceilings.signIns.shareOfBound * 100).toFixed(1)}% of the bound`);
      log(`  verify steps when it does no work at all: ${bareVerifies.perSecond.toFixed(0)} per second`);
      mkdirSync('.bench', { recursive: true });
      writeFileSync('.bench/results.json', `${JSON.stringify({ at: new Date().toISOString(), hashRate, hashRateBefore, hashRateAfter, signIns, verifies, goals, ceilings }, null, 2)}\n`);
      return goals.every((g) => g.ok) ? 0 : 1;
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  } finally {
    bare?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function summary(result: LoadResult): { perSecond: number; failed: number } {
  return { perSecond: result.perSecond, failed: result.failed };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Hashes with more requests in flight than hashing threads, so every core hashes all the time. */
async function measureArgon2(): Promise<number> {
  const seconds = 4;
  const end = Date.now() + seconds * 1000;
  let done = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (Date.now() < end) {
      await hashPassword(BENCH_PASSWORD);
      done++;
    }
  }));
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

function report(name: string, result: { completed: number; failed: number; seconds: number; perSecond: number; firstError?: string }): void {
  log(`${name}: ${result.perSecond.toFixed(1)}  (${result.completed} in ${result.seconds.toFixed(2)} s, ${result.failed} failed)`);
  if (result.firstError) log(`  first failure: ${result.firstError}`);
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

async function waitReady(base: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not become ready');
}

process.exitCode = await main();

/** CPU seconds per thread of a process (Linux /proc), to see the server's own work beside hashing. */
function threadTimes(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out[`${name}:${tid}`] = (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return out;
}
/**
 * With BENCH_THREADS=1, where a phase's CPU went: the server's threads (request thread, hashing
 * threads, GC), this load generator's, and the whole machine's user, system and idle time.
 */
function cpuSince(serverPid: number): { report(phase: string): void } {
  const before = { server: threadTimes(serverPid), load: threadTimes(process.pid), machine: machineTimes() };
  return {
    report(phase) {
      if (!process.env.BENCH_THREADS) return;
      log(`${phase}: server CPU seconds by thread: ${JSON.stringify(diffTimes(before.server, threadTimes(serverPid)))}`);
      log(`${phase}: load generator CPU seconds by thread: ${JSON.stringify(diffTimes(before.load, threadTimes(process.pid)))}`);
      log(`${phase}: machine CPU seconds: ${JSON.stringify(diffTimes(before.machine, machineTimes()))}`);
    },
  };
}

/** The machine's CPU seconds so far in user, system and idle time (Linux /proc/stat). */
function machineTimes(): Record<string, number> {
  const [user, nice, system, idle, iowait, irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { user: (user! + nice!) / 100, system: (system! + irq! + softirq!) / 100, idle: (idle! + iowait!) / 100 };
}
function diffTimes(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, +(v - (a[k] ?? 0)).toFixed(2)]).filter(([, v]) => (v as number) > 0.05));
}
