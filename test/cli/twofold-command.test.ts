/**
 * The `twofold` command as a newcomer runs it, right after `npm ci`: serve (health, the first-run
 * page, graceful shutdown), init, demo, members import and outbox, on a fresh data directory.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/twofold.js');

function twofold(args: string[], env: NodeJS.ProcessEnv) {
  return run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the twofold command', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'twofold-cli-'));
    env = { TWOFOLD_DATA_DIR: dataDir, TWOFOLD_LOG_LEVEL: 'warn', DATABASE_URL: '' };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('serve: /healthz, the first-run page on an empty deployment, and a clean exit on SIGTERM', async () => {
    const port = await freePort();
    const server = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env, PORT: String(port), TWOFOLD_HOST: '127.0.0.1' }, stdio: 'pipe' });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    server.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    try {
      // A generous deadline, as below: the whole suite runs beside this and a start can take a while.
      const deadline = Date.now() + 60_000;
      let health: Response | undefined;
      while (!health && Date.now() < deadline && server.exitCode === null) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(health?.status, 200, output);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      assert.match(await page.text(), /Create organization/);
      assert.equal(statSync(join(dataDir, 'twofold.sqlite')).mode & 0o777, 0o600);
      assert.equal(statSync(join(dataDir, 'secret.key')).mode & 0o777, 0o600);
    } finally {
      server.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => server.once('exit', resolve));
    assert.equal(code, 0, output);
  });

  test('serve without an SMTP server or SMS gateway says at start that messages go to the outbox file', async () => {
    const ownDir = mkdtempSync(join(tmpdir(), 'twofold-cli-outbox-'));
    const port = await freePort();
    const unset = {
      TWOFOLD_SMTP_URL: '', TWOFOLD_SMTP_FROM: '', TWOFOLD_SMS_ACCOUNT_SID: '', TWOFOLD_SMS_AUTH_TOKEN: '', TWOFOLD_SMS_FROM: '', TWOFOLD_SMS_BASE_URL: '',
    };
    const server = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, ...env, ...unset, TWOFOLD_DATA_DIR: ownDir, TWOFOLD_LOG_LEVEL: 'info', PORT: String(port), TWOFOLD_HOST: '127.0.0.1' },
      stdio: 'pipe',
    });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    server.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const outboxFile = join(ownDir, 'outbox.jsonl');
    const messages = () => output.split('\n').flatMap((line) => {
      try { return [String((JSON.parse(line) as { msg?: unknown }).msg)]; } catch { return []; }
    });
    const notice = (channel: string) => messages().find((m) => m.startsWith(`${channel}: `));
    try {
      // A generous deadline: the whole suite runs beside this and a start can take a while.
      const deadline = Date.now() + 60_000;
      let health: Response | undefined;
      while (!health && Date.now() < deadline && server.exitCode === null) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(health?.status, 200, output);
      for (let i = 0; i < 50 && !(notice('Email') && notice('SMS')); i++) await new Promise((r) => setTimeout(r, 100));
      const email = notice('Email');
      const sms = notice('SMS');
      assert.ok(email && sms, `no delivery notices in:\n${output}`);
      assert.match(email, /^Email: not configured \(TWOFOLD_SMTP_URL\)/);
      assert.match(sms, /^SMS: not configured \(.*TWOFOLD_SMS_ACCOUNT_SID.*\)/);
      for (const line of [email, sms]) assert.ok(line.endsWith(`messages are written to ${outboxFile}`), line);
    } finally {
      server.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => server.once('exit', resolve));
    rmSync(ownDir, { recursive: true, force: true });
    assert.equal(code, 0, output);
  });

  test('init creates an organization; without a terminal, missing options are an error', async () => {
    const done = await twofold(['init', '--organization', 'Acme', '--email', 'ann@acme.test', '--password', 'Correct-Horse-9'], env);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /Created organization "Acme"/);
    const missing = await twofold(['init', '--organization', 'Acme'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--email is required/);
    const taken = await twofold(['init', '--organization', 'Again', '--email', 'ANN@acme.test', '--password', 'Correct-Horse-9'], env);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /email_taken/);
  });

  test('demo prints how to sign in; members import brings in a CSV file', async () => {
    const demo = await twofold(['demo'], env);
    assert.equal(demo.code, 0, demo.stderr);
    const organizationId = /demo organization \(([0-9a-f-]+)\)/.exec(demo.stdout)?.[1];
    assert.ok(organizationId, demo.stdout);
    assert.match(demo.stdout, /Master Account Holder/);
    const file = join(dataDir, 'members.csv');
    const suffix = randomBytes(3).toString('hex');
    writeFileSync(file, `name,email,role,technicianGroup,password\nIda Import,ida.${suffix}@demo.test,,Support/Tier 1,Correct-Horse-9\nIvo Import,ivo.${suffix}@demo.test,,Field Services,\n`);
    const imported = await twofold(['members', 'import', file, '--organization', organizationId], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Imported 2 members/);
    const again = await twofold(['members', 'import', file, '--organization', organizationId], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /import_failed/);
  });

  test('outbox prints the invitation the import sent', async () => {
    const outbox = await twofold(['outbox', '--limit', '5'], env);
    assert.equal(outbox.code, 0, outbox.stderr);
    assert.match(outbox.stdout, /invited/);
  });

  test('bad configuration stops with every problem named', async () => {
    const bad = await twofold(['serve'], { ...env, PORT: 'eighty', TWOFOLD_SECRET_KEY: 'x' });
    assert.equal(bad.code, 78);
    assert.match(bad.stderr, /PORT/);
    assert.match(bad.stderr, /TWOFOLD_SECRET_KEY/);
  });
});
