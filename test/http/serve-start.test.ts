/**
 * `twofold serve` on a fresh data directory prints the one-time set-up link to its console (not to
 * the structured log), keeps the token in a 0600 file, and the link's token creates the organization
 * once; the next start has no token to print.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildWeb } from '../../scripts/buildWeb.ts';

const BIN = join(import.meta.dirname, '../../bin/twofold.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `twofold serve` until `body` is done, then stops it with SIGTERM; returns what it wrote. */
async function serving(
  dataDir: string,
  body: (port: number, output: () => { stdout: string; stderr: string }, pid: number) => Promise<void>,
  env: NodeJS.ProcessEnv = {},
): Promise<{ stdout: string; stderr: string }> {
  const port = await freePort();
  const server = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, TWOFOLD_DATA_DIR: dataDir, DATABASE_URL: '', TWOFOLD_PUBLIC_URL: '', TWOFOLD_LOG_LEVEL: 'info', PORT: String(port), TWOFOLD_HOST: '127.0.0.1', ...env },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  server.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  server.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  try {
    const deadline = Date.now() + 60_000;
    let health: Response | undefined;
    while (!health && Date.now() < deadline && server.exitCode === null) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      if (!health) await sleep(100);
    }
    assert.equal(health?.status, 200, stdout + stderr);
    await body(port, () => ({ stdout, stderr }), server.pid!);
  } finally {
    server.kill('SIGTERM');
  }
  await new Promise((resolve) => server.once('exit', resolve));
  return { stdout, stderr };
}

before(async () => {
  await buildWeb({ quiet: true });
});

test('serve prints the set-up link once, the token in it creates the organization, and it is spent', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-serve-'));
  try {
    let token = '';
    const first = await serving(dataDir, async (port, output) => {
      for (let i = 0; i < 50 && !output().stderr.includes('setup-token='); i++) await sleep(100);
      const link = new RegExp(`http://localhost:${port}/first-run#setup-token=([A-Za-z0-9_-]{43})`).exec(output().stderr);
      assert.ok(link, output().stderr);
      token = link[1]!;
      const file = join(dataDir, 'setup-token');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(readFileSync(file, 'utf8').trim(), token);

      const post = (setupToken: string) => fetch(`http://127.0.0.1:${port}/api/v1/setup`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ organizationName: 'First Org', name: 'Fay First', email: 'fay@first.test', password: 'Correct-Horse-9', setupToken }),
      });
      const wrong = await post('x'.repeat(43));
      assert.equal(wrong.status, 403);
      assert.equal(((await wrong.json()) as { code: string }).code, 'invalid_setup_token');
      const created = await post(token);
      assert.equal(created.status, 201, await created.clone().text());
      assert.equal(existsSync(file), false, 'spent: the file is gone');

      // The command runs compiled (bin/compiled.mjs), from another folder than the sources: it still
      // finds the website's build beside them.
      const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /src="\/assets\/index-[^"]+\.js"/, 'the built app, not the page that says how to build it');
      assert.match(html, /<meta name="csp-nonce" content="[^"_]{16,}"/, "with this answer's nonce in place of the placeholder");
    });
    assert.ok(token);
    assert.ok(!first.stdout.includes(token), 'the structured log never holds the token');

    const second = await serving(dataDir, async () => {});
    assert.doesNotMatch(second.stderr, /setup-token=/);
    assert.equal(existsSync(join(dataDir, 'setup-token')), false);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the command sizes libuv\'s thread pool to the hashing threads, where the passwords are hashed', { skip: !existsSync('/proc/self/task') && 'needs /proc' }, async () => {
  /** The server's threads once a password has been checked (which starts the pool). */
  const threadsWith = async (hashingThreads: number): Promise<number> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twofold-serve-'));
    let threads = 0;
    try {
      await serving(dataDir, async (port, _output, pid) => {
        const signIn = await fetch(`http://127.0.0.1:${port}/api/v1/sign-in`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'nobody@pool.test', password: 'Correct-Horse-9', client: { kind: 'website' } }),
        });
        assert.equal(signIn.status, 401, await signIn.clone().text());
        threads = readdirSync(`/proc/${pid}/task`).length;
      // Without an operator's own pool size (spawn leaves out a variable set to undefined).
      }, { UV_THREADPOOL_SIZE: undefined, TWOFOLD_HASHING_THREADS: String(hashingThreads) });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    return threads;
  };
  // Everything else in the process is the same: the difference is the pool's threads.
  assert.equal(await threadsWith(5) - await threadsWith(1), 4);
});
