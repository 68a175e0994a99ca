/**
 * Every node must use the deployment's one secret key: a start with another key than the database was
 * written with is refused as bad configuration, instead of failing every code it cannot read.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { openRuntime } from '../../src/runtime.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

const log = { info: () => {}, warn: () => {}, error: () => {} };

for (const engine of engines()) {
  describe(`the secret key check on ${engine}`, () => {
    let dataDir: string;
    let database: TestDatabase | undefined;
    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'twofold-key-check-'));
      if (engine === 'postgres') database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
    });
    after(async () => {
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const start = async (key: string) => {
      const env = { TWOFOLD_DATA_DIR: dataDir, TWOFOLD_SECRET_KEY: key, ...(database ? { DATABASE_URL: database.url } : {}) };
      const runtime = await openRuntime(loadConfig(env), env, log);
      await runtime.close();
    };

    test('the key of the first start is the only one accepted afterwards', async () => {
      const key = randomBytes(32).toString('hex');
      await start(key);
      await start(key);
      await assert.rejects(start(randomBytes(32).toString('hex')), (error: unknown) =>
        error instanceof ConfigError && error.problems.some((p) => p.includes('TWOFOLD_SECRET_KEY')));
      await start(key);
    });
  });
}
