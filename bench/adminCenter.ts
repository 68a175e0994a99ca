/**
 * `node --import tsx bench/adminCenter.ts`: builds the large demo organization (BENCH_MEMBERS,
 * default 100,000, in BENCH_GROUPS, default 5,000 groups) on SQLite in a fresh directory, adds
 * BENCH_AUDIT_EVENTS audit events (default 200,000), then times the Admin Center's requests through
 * the API (Fastify inject, no network): the median of BENCH_RUNS runs (default 7) of each.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { openRuntime } from '../src/runtime.ts';
import { generateLargeOrganization } from '../src/services/demo/generateLargeOrganization.ts';
import { seedAuditEvents } from './largeOrg.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 5_000);
const AUDIT_EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PASSWORD = 'Bench-Password-7';
const log = (line: string) => process.stdout.write(`${line}\n`);
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function main(): Promise<void> {
  // BENCH_DATA_DIR keeps the organization for another run (BENCH_SKIP_SEED=1 reuses it).
  const kept = process.env.BENCH_DATA_DIR;
  const dataDir = kept ?? mkdtempSync(join(tmpdir(), 'twofold-admin-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, TWOFOLD_DATA_DIR: dataDir, TWOFOLD_SECRET_KEY: process.env.BENCH_SECRET_KEY ?? randomBytes(32).toString('hex'), TWOFOLD_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const runtime = await openRuntime(loadConfig(env), env, quiet);
  try {
    let org = { masterEmail: 'morgan.bench@demo.twofold.test' };
    if (process.env.BENCH_SKIP_SEED !== '1') {
      let started = performance.now();
      const made = await generateLargeOrganization(runtime.ctx, { members: MEMBERS, groups: GROUPS, password: PASSWORD, suffix: 'bench' });
      log(`generate ${MEMBERS} members in ${GROUPS} groups: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      started = performance.now();
      await seedAuditEvents(runtime.ctx.db, made.organizationId, AUDIT_EVENTS);
      log(`seed ${AUDIT_EVENTS} audit events: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      org = made;
    }

    const app = await buildApp(runtime.ctx, { logLevel: false, trustedProxies: [], publicUrl: undefined });
    await app.ready();
    const signIn = await app.inject({ method: 'POST', url: '/api/v1/sign-in', payload: { email: org.masterEmail, password: PASSWORD, client: { kind: 'technician-console' } } });
    const token = signIn.json<{ session: { token: string } }>().session.token;
    const get = async (url: string) => {
      const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      return response;
    };
    const root = (await get('/api/v1/tree/groups')).json<{ items: Array<{ id: string }> }>();
    const branch = (await get(`/api/v1/tree/groups?parentId=${root.items[0]!.id}`)).json<{ items: Array<{ id: string }> }>();
    const auditCursor = (await get('/api/v1/audit-events?limit=50')).json<{ nextCursor: string }>().nextCursor;
    const cases: Array<[string, string]> = [
      ['tree: the root page', '/api/v1/tree/groups'],
      ['tree: a branch (100 groups)', `/api/v1/tree/groups?parentId=${branch.items[0]!.id}`],
      ['tree: the first 500 root groups', '/api/v1/tree/groups?limit=500'],
      ['search: prefix "tech-4242"', '/api/v1/tree/search?q=tech-4242'],
      ['search: prefix "group 01"', '/api/v1/tree/search?q=group%2001'],
      ['search: substring "h-4242." (nothing starts with it)', '/api/v1/tree/search?q=h-4242.'],
      ['search: nothing matches "zzz"', '/api/v1/tree/search?q=zzz'],
      ['administrators section', '/api/v1/tree/administrators'],
      ['members: first page', '/api/v1/members?limit=50'],
      ['audit: first page (50)', '/api/v1/audit-events?limit=50'],
      ['audit: a later page', `/api/v1/audit-events?limit=50&cursor=${auditCursor}`],
      ['audit: filtered by action', '/api/v1/audit-events?limit=50&action=Change'],
      ['report: two-step status page', '/api/v1/reports/two-step-verification/members?limit=50'],
      ['report: two-step status CSV, every member', '/api/v1/reports/two-step-verification/members?format=csv'],
      ['report: administrator status page', '/api/v1/reports/administrators'],
    ];
    for (const [name, url] of cases) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        bytes = (await get(url)).rawPayload.length;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      log(`${name}: median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms (${bytes} bytes)`);
    }
    await app.close();
  } finally {
    await runtime.close();
    if (!kept) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
