/**
 * `npm run bench`: every figure of docs/performance.md, measured in one run on this machine, on SQLite
 * and on PostgreSQL side by side, each goal printed as a ratio to its baseline measured in the same run:
 *   - complete sign-ins (password + TOTP, over HTTP): at least 90% of the bare server's sign-ins;
 *   - session checks (`GET /api/v1/me`): at least 25% of the bare server's empty requests;
 *   - verify steps: at least ten times the argon2id bound;
 *   - the server's RSS after the loads at most 150 MB, and the bytes stored per session;
 *   - on the large organization: saving Global Settings with a new primary method under 50 ms at
 *     1,000 and at 100,000 members, the preview under 200 ms, the must-use decision under 1 ms, a page
 *     of the tree, members or audit under 100 ms, the status CSV of every member under 2 s, and
 *     sign-ins within 10% of the small organization's.
 * The server runs as its own process (`twofold serve`); the load comes from this process over loopback
 * (bench/load.ts), each simulated client from its own address. The bare server (bench/ceilings.ts) is
 * the baseline. Results go to .bench/results.json.
 *
 * BENCH_ENGINES (sqlite,postgres), BENCH_SIGN_INS, BENCH_WARM_UP_SIGN_INS, BENCH_VERIFIES, BENCH_SESSION_CHECKS,
 * BENCH_LARGE_MEMBERS (0 skips the large organization), BENCH_LARGE_GROUPS, BENCH_LARGE_SIGN_INS,
 * BENCH_AUDIT_EVENTS, BENCH_RUNS and BENCH_ROUNDS change the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { startBareServer } from './ceilings.ts';
import { openBenchDatabase, stopPostgresServer, type BenchEngine } from './database.ts';
import { runEngine, type BenchSizes, type EngineFigures } from './engineRun.ts';
import type { CpuPerJob } from './cpuTime.ts';
import type { Timing } from './largeOrg.ts';
import type { LoadResult } from './load.ts';

const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const sizes: BenchSizes = {
  signIns: size('BENCH_SIGN_INS', 1_500),
  warmUpSignIns: size('BENCH_WARM_UP_SIGN_INS', 500),
  verifies: size('BENCH_VERIFIES', 10_000),
  sessionChecks: size('BENCH_SESSION_CHECKS', 60_000),
  largeMembers: size('BENCH_LARGE_MEMBERS', 100_000),
  largeGroups: size('BENCH_LARGE_GROUPS', 5_000),
  smallerMembers: 1_000,
  largeSignIns: size('BENCH_LARGE_SIGN_INS', 1_000),
  auditEvents: size('BENCH_AUDIT_EVENTS', 100_000),
  runs: size('BENCH_RUNS', 5),
  rounds: Math.max(1, size('BENCH_ROUNDS', 3)),
};
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((e) => e.trim()) as BenchEngine[];
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Goal {
  readonly name: string;
  readonly engine: string;
  readonly ok: boolean;
  /** The figure against its goal, as it is printed. */
  readonly value: string;
}

async function main(): Promise<number> {
  const started = performance.now();
  log(`Twofold benchmark on ${engines.join(' and ')}: ${sizes.signIns} sign-ins, ${sizes.verifies} verify steps, ${sizes.sessionChecks} session checks, `
    + `a ${sizes.largeMembers}-member organization; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()[0]!.toFixed(1)}`);
  const bare = await startBareServer();
  const results: EngineFigures[] = [];
  try {
    for (const engine of engines) {
      log(`\n${engine}:`);
      const database = await openBenchDatabase(engine);
      try {
        results.push(await runEngine(database, bare, sizes, log));
      } finally {
        await database.drop();
      }
    }
  } finally {
    bare.stop();
    await stopPostgresServer();
  }
  const goals = results.flatMap(goalsOf);
  const rows = printTable(results);
  log('');
  for (const goal of goals) log(`${goal.ok ? 'MET    ' : 'MISSED '} [${goal.engine}] ${goal.name}: ${goal.value}`);
  const seconds = (performance.now() - started) / 1000;
  log(`\nThe whole run took ${seconds.toFixed(0)} s; results in .bench/results.json and .bench/results.md`);
  mkdirSync('.bench', { recursive: true });
  writeFileSync('.bench/results.md', markdown(results, rows, goals));
  writeFileSync('.bench/results.json', `${JSON.stringify({
    at: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: totalmem() / 2 ** 30, loadAverageAtEnd: loadavg() },
    node: process.version, sizes, seconds, goals, engines: results,
  }, null, 2)}\n`);
  return goals.every((g) => g.ok) ? 0 : 1;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** ", the median of 3 rounds: 86, 82 and 75%", or nothing for one round. */
function ofRounds(ratios: readonly number[]): string {
  if (ratios.length < 2) return '';
  const each = ratios.map((r) => (r * 100).toFixed(0));
  return `, the median of ${ratios.length} rounds: ${each.slice(0, -1).join(', ')} and ${each.at(-1)}%`;
}
/** ", the median of 3 rounds: 12.1, 10.4 and 11.0×", or nothing for one round. */
function timesOfRounds(ratios: readonly number[]): string {
  if (ratios.length < 2) return '';
  const each = ratios.map((r) => r.toFixed(1));
  return `, the median of ${ratios.length} rounds: ${each.slice(0, -1).join(', ')} and ${each.at(-1)}×`;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

function goalsOf(r: EngineFigures): Goal[] {
  const e = r.engine;
  const signInShare = median(r.signInRatios);
  const checkShare = median(r.sessionCheckRatios);
  const readShare = median(r.sessionReadRatios);
  const verifyTimes = median(r.verifyRatios);
  const goals: Goal[] = [
    { engine: e, name: 'complete sign-ins ≥ 90% of the bare server\'s', ok: signInShare >= 0.9 && r.signIns.failed === 0, value: `${pct(signInShare)}${ofRounds(r.signInRatios)} (${r.signIns.perSecond.toFixed(0)} vs ${r.bareSignIns.perSecond.toFixed(0)} a second)` },
    { engine: e, name: 'session checks ≥ 25% of the bare server\'s empty requests', ok: checkShare >= 0.25 && r.sessionChecks.failed === 0, value: `${pct(checkShare)}${ofRounds(r.sessionCheckRatios)} (${r.sessionChecks.perSecond.toFixed(0)} vs ${r.bareEmpty.perSecond.toFixed(0)} a second); the ceiling of a server that reads the session: ${pct(readShare)}${ofRounds(r.sessionReadRatios)}${readShare < 0.25 ? ', below the goal: out of this machine\'s reach' : ''}` },
    { engine: e, name: 'verify steps ≥ 10× the argon2id bound', ok: verifyTimes >= 10 && r.verifies.failed === 0, value: `${verifyTimes.toFixed(1)}×${timesOfRounds(r.verifyRatios)} (${r.verifies.perSecond.toFixed(0)} vs ${r.verifyBound.toFixed(0)} hashes a second)` },
    { engine: e, name: 'RSS after the loads ≤ 150 MB', ok: r.rssAfterLoadsMb <= 150, value: `${r.rssAfterLoadsMb.toFixed(1)} MB (${pct(r.rssAfterLoadsMb / 150)} of the goal)` },
  ];
  const large = r.large;
  if (!large) return goals;
  for (const [members, timing] of Object.entries(large.save)) {
    goals.push({ engine: e, name: `saving Global Settings with a new primary method, ${Number(members).toLocaleString('en')} members, < 50 ms`, ok: timing.medianMs < 50, value: `${ms(timing.medianMs)} (${pct(timing.medianMs / 50)} of the goal)` });
  }
  const preview = large.preview[large.members]!;
  goals.push({ engine: e, name: `preview counts, ${large.members.toLocaleString('en')} members, < 200 ms`, ok: preview.medianMs < 200, value: `${ms(preview.medianMs)} (${pct(preview.medianMs / 200)} of the goal)` });
  goals.push({ engine: e, name: 'must-use decision at sign-in < 1 ms (median)', ok: large.decision.p50Ms < 1, value: `${large.decision.p50Ms.toFixed(3)} ms, p99 ${large.decision.p99Ms.toFixed(3)} ms` });
  for (const [name, timing] of Object.entries(large.pages)) {
    goals.push({ engine: e, name: `${name} < 100 ms`, ok: timing.medianMs < 100, value: `${ms(timing.medianMs)} (${pct(timing.medianMs / 100)} of the goal)` });
  }
  goals.push({ engine: e, name: `status CSV of all ${large.members.toLocaleString('en')} members < 2 s`, ok: large.csv.medianMs < 2000, value: `${ms(large.csv.medianMs)} (${pct(large.csv.medianMs / 2000)} of the goal, ${(large.csv.bytes / 1e6).toFixed(1)} MB)` });
  const largeShare = median(large.signInRatios);
  goals.push({ engine: e, name: 'sign-ins in the large organization within 10% of the small one\'s', ok: largeShare >= 0.9 && large.signIns.failed === 0 && large.smallSignIns.failed === 0, value: `${pct(largeShare)}${ofRounds(large.signInRatios)} (${large.signIns.perSecond.toFixed(0)} vs ${large.smallSignIns.perSecond.toFixed(0)} a second)` });
  return goals;
}

function printTable(results: EngineFigures[]): Array<[string, ...string[]]> {
  const rows: Array<[string, ...string[]]> = [];
  const load = (name: string, pick: (r: EngineFigures) => LoadResult | undefined) => {
    rows.push([`${name} per second`, ...results.map((r) => { const l = pick(r); return l ? `${l.perSecond.toFixed(0)}${l.failed ? ` (${l.failed} failed)` : ''}` : '-'; })]);
    rows.push([`  p50 / p99`, ...results.map((r) => { const l = pick(r); return l ? `${ms(l.p50Ms)} / ${ms(l.p99Ms)}` : '-'; })]);
  };
  rows.push(['argon2id hashes per second (the bound)', ...results.map((r) => r.hashRate.toFixed(1))]);
  load('complete sign-ins', (r) => r.signIns);
  load('  the first sign-ins after the start (warm-up)', (r) => r.coldSignIns ?? undefined);
  load('  bare server sign-ins', (r) => r.bareSignIns);
  load('verify steps', (r) => r.verifies);
  rows.push(['  the argon2id bound, measured beside them', ...results.map((r) => r.verifyBound.toFixed(1))]);
  load('session checks (GET /api/v1/me)', (r) => r.sessionChecks);
  load('  bare server empty requests', (r) => r.bareEmpty);
  load('  bare server reading the session (the ceiling)', (r) => r.sessionReads);
  const cpu = (name: string, pick: (r: EngineFigures) => CpuPerJob | null, unit: 'ms' | 'µs') => rows.push([name, ...results.map((r) => {
    const c = pick(r);
    const f = (x: number) => (unit === 'ms' ? x.toFixed(2) : (x * 1000).toFixed(0));
    return c ? `${f(c.requestThreadMs)} / ${f(c.otherThreadsMs)} / ${f(c.loadGeneratorMs)} ${unit}` : '-';
  })]);
  cpu('CPU per sign-in: request thread / other threads / load generator', (r) => r.cpu.signIn, 'ms');
  cpu('  bare server', (r) => r.cpu.bareSignIn, 'ms');
  cpu('CPU per session check: request thread / other threads / load generator', (r) => r.cpu.sessionCheck, 'µs');
  cpu('  bare server', (r) => r.cpu.bareEmpty, 'µs');
  cpu('  bare server reading the session', (r) => r.cpu.sessionRead, 'µs');
  rows.push(['PostgreSQL prepared reads per second (10 connections)', ...results.map((r) => (r.statementRate === null ? '-' : r.statementRate.toFixed(0)))]);
  load('sign-ins, large organization', (r) => r.large?.signIns);
  load('  the small organization\'s, in rounds beside them', (r) => r.large?.smallSignIns);
  rows.push(['RSS after the loads / at the end', ...results.map((r) => `${r.rssAfterLoadsMb.toFixed(0)} MB / ${r.rssAtEndMb.toFixed(0)} MB`)]);
  rows.push(['bytes stored per session', ...results.map((r) => `${r.sessionStorage.bytesPerSession.toFixed(0)} (${r.sessionStorage.sessions} sessions)`)]);
  const timings = (r: EngineFigures): Record<string, Timing> => r.large ? {
    ...Object.fromEntries(Object.entries(r.large.save).map(([m, t]) => [`save with a new primary method, ${m} members`, t])),
    ...Object.fromEntries(Object.entries(r.large.preview).map(([m, t]) => [`preview, ${m} members`, t])),
    ...r.large.pages,
    'status CSV, every member': r.large.csv,
  } : {};
  for (const name of Object.keys(timings(results[0]!))) {
    rows.push([`${name} (median / max)`, ...results.map((r) => { const t = timings(r)[name]; return t ? `${ms(t.medianMs)} / ${ms(t.maxMs)}` : '-'; })]);
  }
  rows.push(['must-use decision (p50 / p99)', ...results.map((r) => r.large ? `${r.large.decision.p50Ms.toFixed(3)} / ${r.large.decision.p99Ms.toFixed(3)} ms` : '-')]);
  rows.push(['this engine\'s part of the run', ...results.map((r) => `${r.seconds.toFixed(0)} s`)]);
  const widths = [0, ...results.map(() => 0)].map((_, i) => Math.max(...[['', ...results.map((r) => r.engine)], ...rows].map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  log('');
  line(['', ...results.map((r) => r.engine)]);
  for (const row of rows) line(row);
  return rows;
}

/** The same table and the goals in Markdown, for docs/performance.md. */
function markdown(results: EngineFigures[], rows: Array<[string, ...string[]]>, goals: Goal[]): string {
  const cell = (text: string) => text.replace(/^( +)/, (spaces) => '&nbsp;'.repeat(spaces.length)).replaceAll('|', '\\|');
  return [
    `| | ${results.map((r) => r.engine).join(' | ')} |`,
    `|---|${results.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    '',
    ...goals.map((goal) => `- ${goal.ok ? 'met' : '**missed**'} [${goal.engine}] ${goal.name}: ${goal.value}`),
    '',
  ].join('\n');
}

process.exitCode = await main();
