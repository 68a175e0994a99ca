/**
 * The `twofold` command as a newcomer runs it, right after `npm ci`: serve (health, the first-run
 * page, graceful shutdown), init, demo, members import and outbox, on a fresh data directory.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';

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
      // A generous deadline: the whole suite runs beside this and a start can take a while.
      const deadline = Date.now() + 60_000;
      let health: Response | undefined;
      while (!health && Date.now() < deadline && server.exitCode === null) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(health?.status, 200, output);
      // An empty deployment offers the first run: the website's page, at the link printed on start.
      const setup = await fetch(`http://127.0.0.1:${port}/api/v1/setup`);
      assert.deepEqual(await setup.json(), { required: true, minimumStrength: 'good' });
      for (let i = 0; i < 50 && !output.includes('setup-token='); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(output, new RegExp(`http://localhost:${port}/first-run#setup-token=`));
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

  test('demo --members --groups builds a large organization in bulk; a bad count is a usage error', async () => {
    const large = await twofold(['demo', '--members', '300', '--groups', '40'], env);
    assert.equal(large.code, 0, large.stderr);
    assert.match(large.stdout, /300 members/);
    assert.match(large.stdout, /40 technician groups nested 6 deep/);
    const bad = await twofold(['demo', '--members', '0'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--members/);
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

/** Runs the command with text on its standard input. */
function twofoldWithInput(args: string[], env: NodeJS.ProcessEnv, input: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A `twofold serve` on its own port; resolves once it answers /healthz. */
async function startServer(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const server = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env, PORT: String(port), TWOFOLD_HOST: '127.0.0.1' }, stdio: 'pipe' });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  server.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const deadline = Date.now() + 60_000;
  let health: Response | undefined;
  while (!health && Date.now() < deadline && server.exitCode === null) {
    health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (!health) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(health?.status, 200, output);
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      server.kill('SIGTERM');
      if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
    },
  };
}

/** A stack trace's frames ("    at …"): an expected condition must never print one. */
const STACK_FRAME = /^\s+at /m;

describe('the twofold command and the embedded database', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'twofold-cli-lock-'));
    env = { TWOFOLD_DATA_DIR: dataDir, TWOFOLD_LOG_LEVEL: 'warn', DATABASE_URL: '' };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a request the server refuses after opening a transaction leaves no write lock: another process writes at once', async () => {
    const server = await startServer(env);
    try {
      // The first run takes the token the server wrote beside its database.
      const setupToken = readFileSync(join(dataDir, 'setup-token'), 'utf8').trim();
      const created = await fetch(`${server.url}/api/v1/setup`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ setupToken, organizationName: 'Locks', name: 'Lou Lock', email: 'lou@locks.test', password: 'Correct-Horse-9' }),
      });
      assert.equal(created.status, 201);
      const signIn = await fetch(`${server.url}/api/v1/sign-in`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'lou@locks.test', password: 'Correct-Horse-9', client: { kind: 'technician-console' } }),
      });
      const { session } = await signIn.json() as { session: { token: string } };
      // Refused inside its database transaction, which rolls back: the email is the Master Account Holder's.
      const refused = await fetch(`${server.url}/api/v1/members`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ name: 'Lou Again', email: 'lou@locks.test', role: 'administrator' }),
      });
      assert.equal(refused.status, 409);
      assert.equal(((await refused.json()) as { code: string }).code, 'email_taken');

      // Another process takes the write lock without waiting at all (busy timeout 0).
      const script = `const db = new (require('better-sqlite3'))(process.argv[1], { timeout: 0 });
        try { db.exec('BEGIN IMMEDIATE'); db.exec('COMMIT'); } catch (e) { console.error(e.code); process.exit(1); }`;
      const writer = await run(process.execPath, ['-e', script, join(dataDir, 'twofold.sqlite')], { cwd: join(import.meta.dirname, '../..') })
        .then(() => ({ code: 0, stderr: '' }), (error: { code: number; stderr: string }) => error);
      assert.equal(writer.code, 0, writer.stderr);

      // And a command writes while the server runs.
      const init = await twofold(['init', '--organization', 'Beside', '--email', 'bea@locks.test'], { ...env, TWOFOLD_INIT_PASSWORD: 'Correct-Horse-9' });
      assert.equal(init.code, 0, init.stderr);
    } finally {
      await server.stop();
    }
  });

  test('a command that finds the database busy waits a bounded time, then says so in one line', async () => {
    const holder = new SQLite(join(dataDir, 'twofold.sqlite'));
    holder.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const busy = await twofold(['init', '--organization', 'Busy', '--email', 'bo@busy.test'], { ...env, TWOFOLD_INIT_PASSWORD: 'Correct-Horse-9' });
      assert.equal(busy.code, 75, busy.stderr); // EX_TEMPFAIL: try again
      assert.equal(busy.stderr.trim().split('\n').length, 1, busy.stderr);
      assert.match(busy.stderr, /^twofold init: .*busy/);
      assert.ok(Date.now() - started < 45_000);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

describe('the twofold command on expected conditions', () => {
  const env: NodeJS.ProcessEnv = { TWOFOLD_DATA_DIR: join(tmpdir(), 'twofold-cli-never-created'), TWOFOLD_LOG_LEVEL: 'warn', DATABASE_URL: '' };

  /** The command run in this process, for the checks that need no store: the same main as bin/twofold.js. */
  async function inProcess(args: string[]) {
    const { main } = await import('../../src/cli/main.ts');
    let stdout = '';
    let stderr = '';
    const write = { out: process.stdout.write, err: process.stderr.write };
    process.stdout.write = ((chunk: string) => { stdout += chunk; return true; }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => { stderr += chunk; return true; }) as typeof process.stderr.write;
    try {
      const code = await main(args);
      return { code, stdout, stderr };
    } finally {
      process.stdout.write = write.out;
      process.stderr.write = write.err;
    }
  }

  test('every command has --help, printed on standard output', async () => {
    // `serve` in its own process: were --help ignored, it would start a server.
    for (const args of [['init'], ['demo'], ['members'], ['members', 'import'], ['outbox'], ['serve']]) {
      const help = args[0] === 'serve' ? await twofold([...args, '--help'], env) : await inProcess([...args, '--help']);
      assert.equal(help.code, 0, `${args.join(' ')}: ${help.stderr}`);
      assert.match(help.stdout, new RegExp(`^Usage: twofold ${args.join(' ')}`), args.join(' '));
      assert.equal(help.stderr, '');
    }
    // And as the command runs it.
    const outbox = await twofold(['outbox', '--help'], env);
    assert.equal(outbox.code, 0, outbox.stderr);
    assert.match(outbox.stdout, /^Usage: twofold outbox/);
  });

  test('an unknown option is one line and the usage, exit 2', async () => {
    for (const args of [['outbox', '--bogus'], ['init', '--bogus'], ['demo', '--bogus'], ['members', 'import', 'f.csv', '--bogus'], ['serve', '--bogus']]) {
      const wrong = args[0] === 'serve' ? await twofold(args, env) : await inProcess(args);
      assert.equal(wrong.code, 2, args.join(' '));
      const lines = wrong.stderr.trim().split('\n');
      assert.equal(lines.length, 2, wrong.stderr);
      assert.match(lines[0]!, /--bogus/);
      assert.match(lines[1]!, /^Usage: /);
    }
    const outbox = await twofold(['outbox', '--bogus'], env);
    assert.equal(outbox.code, 2);
    assert.doesNotMatch(outbox.stderr, STACK_FRAME);
  });

  test('a missing file, a busy port and an unreachable PostgreSQL are one line each, without a stack trace', async () => {
    const missing = await twofold(['members', 'import', join(tmpdir(), 'no-such-members.csv'), '--organization', 'x'], env);
    assert.equal(missing.code, 66, missing.stderr); // EX_NOINPUT
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    const ownDir = mkdtempSync(join(tmpdir(), 'twofold-cli-port-'));
    try {
      const busy = await twofold(['serve'], { ...env, TWOFOLD_DATA_DIR: ownDir, PORT: String(port), TWOFOLD_HOST: '127.0.0.1' });
      assert.equal(busy.code, 69, busy.stderr); // EX_UNAVAILABLE
      assert.doesNotMatch(busy.stderr, STACK_FRAME);
      assert.match(busy.stderr, new RegExp(`^twofold serve: port ${port} is already in use$`, 'm'));
    } finally {
      taken.close();
      rmSync(ownDir, { recursive: true, force: true });
    }

    const closed = await freePort();
    const refused = await twofold(['demo'], { ...env, DATABASE_URL: `postgres://someone:secret@127.0.0.1:${closed}/twofold` });
    assert.equal(refused.code, 69, refused.stderr);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.doesNotMatch(refused.stderr, /secret/);
  });
});

describe('twofold init and the password', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'twofold-cli-init-'));
    env = { TWOFOLD_DATA_DIR: dataDir, TWOFOLD_LOG_LEVEL: 'warn', DATABASE_URL: '', TWOFOLD_INIT_PASSWORD: '' };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('without a terminal it comes from standard input or TWOFOLD_INIT_PASSWORD, never a prompt', async () => {
    const piped = await twofoldWithInput(['init', '--organization', 'Piped', '--email', 'pia@init.test', '--password-stdin'], env, 'Correct-Horse-9\n');
    assert.equal(piped.code, 0, piped.stderr);
    const fromEnv = await twofold(['init', '--organization', 'Env', '--email', 'eve@init.test'], { ...env, TWOFOLD_INIT_PASSWORD: 'Correct-Horse-9' });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    const none = await twofold(['init', '--organization', 'None', '--email', 'nia@init.test'], env);
    assert.equal(none.code, 2);
    // Each way stored the password it was given: a weak one is refused the same way.
    const weak = await twofoldWithInput(['init', '--organization', 'Weak', '--email', 'wes@init.test', '--password-stdin'], env, 'short\n');
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /password_too_weak/);
  });

  test('in a terminal it is asked twice and never shown', { skip: !existsSync('/usr/bin/script') && 'needs script(1) for a pseudo-terminal' }, async () => {
    const command = `'${process.execPath}' '${BIN}' init --organization Typed --email tia@init.test --name Tia`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, ...env, SHELL: '/bin/sh' }, stdio: 'pipe' });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => { screen += chunk.toString(); });
    // Typed only once each prompt shows, as a person would: first two that differ, then two that match.
    const answers: Array<[RegExp, string]> = [[/Password: /g, 'Typed-Horse-7'], [/\(again\): /g, 'Typed-Horse-8'], [/Password: /g, 'Typed-Horse-7'], [/\(again\): /g, 'Typed-Horse-7']];
    const shown = (prompt: RegExp) => screen.match(prompt)?.length ?? 0;
    const asked = new Map<string, number>();
    const deadline = Date.now() + 60_000;
    for (const [prompt, typed] of answers) {
      const before = asked.get(prompt.source) ?? 0;
      while (shown(prompt) <= before && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      asked.set(prompt.source, before + 1);
      child.stdin.write(`${typed}\r`);
    }
    const code = await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(child.exitCode)));
    assert.equal(code, 0, screen);
    assert.match(screen, /Created organization "Typed"/);
    assert.equal(shown(/\(again\): /g), 2, screen);
    assert.doesNotMatch(screen, /Typed-Horse/);
  });
});
