/**
 * The bench's ceiling of session checks (bench/bareServer.ts): the bare server answers a session read
 * only after finding, in the engine's database, a live session behind the bearer token and an enabled
 * member behind the session. A ceiling that skipped the read, or found sessions that no longer count,
 * would promise more than any server could do.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBareServer, type BareServer, type SessionSource } from '../../bench/ceilings.ts';
import { runLoad } from '../../bench/load.ts';
import { BENCH_PASSWORD, seedOrganization } from '../../bench/seed.ts';
import { loadConfig } from '../../src/config.ts';
import { totpCode, totpStepAt } from '../../src/methods/totp.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { signIn } from '../../src/services/signIn/signIn.ts';
import { verifyCode } from '../../src/services/signIn/verify.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase } from '../support/postgres.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

let bare: BareServer;
before(async () => { bare = await startBareServer(); });
after(() => bare.stop());

for (const engine of engines()) {
  describe(`the bare server's session reads on ${engine}`, () => {
    let runtime: Runtime;
    let source: SessionSource;
    let cleanUp: () => Promise<void>;
    const tokens: Record<'live' | 'revoked' | 'disabled', string> = { live: '', revoked: '', disabled: '' };

    before(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'twofold-ceiling-'));
      const env: NodeJS.ProcessEnv = { TWOFOLD_DATA_DIR: dataDir };
      let database: { url: string; drop(): Promise<void> } | undefined;
      if (engine === 'postgres') {
        database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
        env.DATABASE_URL = database.url;
      }
      runtime = await openRuntime(loadConfig(env), env, quiet);
      source = database ? { engine: 'postgres', url: database.url } : { engine: 'sqlite', file: join(dataDir, 'twofold.sqlite') };
      cleanUp = async () => {
        await runtime.close();
        await database?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      };
      const members = await seedOrganization(runtime.ctx, 3);
      const signedIn: string[] = [];
      for (const [i, m] of members.entries()) {
        const { view, binding } = await signIn(runtime.ctx, { email: m.email, password: BENCH_PASSWORD, client: { kind: 'technician-console' }, ip: `10.9.0.${i}` });
        const done = await verifyCode(runtime.ctx, { transactionId: view.id, binding: binding ?? null, factorId: m.factorId, response: { code: totpCode(m.seed, totpStepAt(new Date())) } });
        signedIn.push(done.session!.token);
      }
      [tokens.live, tokens.revoked, tokens.disabled] = signedIn as [string, string, string];
      const db = runtime.ctx.db;
      await db.updateTable('sessions').set({ revoked_at: Date.now() }).where('member_id', '=', members[1]!.id).execute();
      await db.updateTable('members').set({ enabled: 0 }).where('id', '=', members[2]!.id).execute();
    });
    after(() => cleanUp());

    /** The status of one session read with each token, in order. */
    async function statuses(list: readonly string[]): Promise<number[]> {
      const seen: number[] = [];
      for (const job of bare.sessionReadJobs(list, 0, list.length)) {
        const answer = await fetch(`${bare.base}${job.path}`, { headers: { authorization: `Bearer ${job.token}` } });
        seen.push(answer.status);
        await answer.arrayBuffer();
      }
      return seen;
    }

    test('a live session of an enabled member is answered; an unknown, revoked or disabled one is refused', async () => {
      await bare.readSessionsFrom(source);
      try {
        assert.deepEqual(await statuses([tokens.live, 'x'.repeat(43), tokens.revoked, tokens.disabled]), [200, 401, 401, 401]);
        // As the bench sends them: over the load generator's connections, many at once.
        const load = await runLoad(bare.base, bare.sessionReadJobs([tokens.live], 0, 200), 16);
        assert.equal(load.completed, 200);
        assert.equal(load.failed, 0);
      } finally {
        await bare.readSessionsFrom(null);
      }
    });

    test('told to read nowhere, it refuses every session read, and still answers empty requests', async () => {
      assert.deepEqual(await statuses([tokens.live]), [401]);
      const empty = await runLoad(bare.base, bare.emptyJobs(20), 4);
      assert.equal(empty.completed, 20);
    });
  });
}
