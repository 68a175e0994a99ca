/**
 * `node --import tsx bench/previewCounts.ts`: the Global Settings preview's counts in the large demo
 * organization (BENCH_MEMBERS, default 100,000, in BENCH_GROUPS, default 5,000), on each engine of
 * BENCH_ENGINES (default "sqlite,postgres"). Members are given a mix of factors (each method, locked,
 * inactive, of the old epoch) and some are disabled, then the counts are timed: the median and the
 * maximum of BENCH_RUNS runs (default 5). The counts are printed, to compare them between versions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { generateLargeOrganization } from '../src/services/demo/generateLargeOrganization.ts';
import { countEnforcement } from '../src/services/twoStep/enforcementCounts.ts';
import type { MethodId } from '../src/core/model.ts';
import { openBenchDatabase, stopPostgresServer, type BenchEngine } from './database.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as BenchEngine[];
const log = (line: string) => process.stdout.write(`${line}\n`);
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const METHODS: MethodId[] = ['totp', 'sms', 'email', 'push'];

async function runEngine(engine: BenchEngine): Promise<void> {
  const database = await openBenchDatabase(engine);
  const env: NodeJS.ProcessEnv = { ...process.env, TWOFOLD_DATA_DIR: database.dataDir, TWOFOLD_SECRET_KEY: randomBytes(32).toString('hex'), TWOFOLD_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  if (database.url !== undefined) env.DATABASE_URL = database.url;
  const runtime = await openRuntime(loadConfig(env), env, quiet);
  try {
    let started = performance.now();
    const org = await generateLargeOrganization(runtime.ctx, { members: MEMBERS, groups: GROUPS, password: 'Bench-Password-7', suffix: 'bench' });
    log(`${engine}: generate ${MEMBERS} members in ${GROUPS} groups: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const db = runtime.ctx.db;
    const { two_step_epoch: epoch } = await db.selectFrom('organizations').select('two_step_epoch').where('id', '=', org.organizationId).executeTakeFirstOrThrow();
    const members = await db.selectFrom('members').select('id').where('organization_id', '=', org.organizationId).orderBy('created_at').orderBy('id').execute();
    const factors = [];
    for (let i = 0; i < members.length; i += 1) {
      const memberId = members[i]!.id;
      for (let k = 0; k < METHODS.length; k += 1) {
        if (i % (5 + 4 * k) !== 0) continue;
        factors.push({
          id: randomUUID(), organization_id: org.organizationId, member_id: memberId, type: METHODS[k]!, label: 'bench',
          epoch: i % 23 === 0 ? epoch - 1 : epoch, active: i % 29 === 0 ? 0 : 1,
          locked_until_reset: i % 19 === 0 ? 1 : 0, locked_until: i % 37 === 0 ? 4_102_444_800_000 : null, failures: 0, created_at: 0,
        });
      }
    }
    for (let i = 0; i < factors.length; i += 1000) await db.insertInto('factors').values(factors.slice(i, i + 1000)).execute();
    const disabled = members.filter((_, i) => i % 31 === 0).map((m) => m.id);
    for (let i = 0; i < disabled.length; i += 1000) await db.updateTable('members').set({ enabled: 0 }).where('id', 'in', disabled.slice(i, i + 1000)).execute();
    log(`${engine}: ${factors.length} factors, ${disabled.length} members disabled`);

    const settings = { masterAdministrators: true, administrators: false, technicians: 'selected_groups' as const, primaryMethod: 'totp' as const, allowedMethods: ['totp', 'email'] as MethodId[] };
    const times: number[] = [];
    let counts;
    for (let run = 0; run < RUNS; run += 1) {
      started = performance.now();
      counts = await countEnforcement(db, org.organizationId, settings, epoch, new Date());
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    log(`${engine}: preview counts median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms`);
    log(`${engine}: ${JSON.stringify(counts)}`);
  } finally {
    await runtime.close();
    await database.drop();
  }
}

for (const engine of ENGINES) await runEngine(engine);
await stopPostgresServer();
