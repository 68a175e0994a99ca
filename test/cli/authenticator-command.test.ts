/**
 * The terminal authenticator end to end, against a real `twofold serve`: `pair` writes its key with
 * mode 0600 and the set-up is confirmed with `respond`; a website sign-in is approved with `watch`
 * (the number typed at its prompt); a Technician Console sign-in with `respond --number N --approve`;
 * a wrong number is refused; strict options and --help like the other commands.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../nodes/_nodes.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/twofold.js');
const PASSWORD = 'Correct-Horse-9';
const EMAIL = 'mara@example.test';

describe('twofold authenticator', () => {
  let dataDir: string;
  let keyFile: string;
  let origin: string;
  let server: ReturnType<typeof spawn>;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, TWOFOLD_DATA_DIR: dataDir, TWOFOLD_LOG_LEVEL: 'warn', DATABASE_URL: '', TWOFOLD_AUTHENTICATOR_KEY_FILE: '' });

  const twofold = (args: string[], extra: NodeJS.ProcessEnv = {}) => run(process.execPath, [BIN, ...args], { env: { ...env(), ...extra }, timeout: 60_000 })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));

  /** JSON over HTTP as a client: cookies kept per "browser", the Origin of the site on every POST. */
  async function http(method: string, path: string, body?: unknown, options: { token?: string; jar?: Map<string, string> } = {}) {
    const headers: Record<string, string> = { origin };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.jar && options.jar.size > 0) headers.cookie = [...options.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(`${origin}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair!.split('=');
      if (options.jar) { if (value) options.jar.set(name!, value); else options.jar.delete(name!); }
    }
    return { status: response.status, body: await response.json().catch(() => ({})) as Record<string, unknown> };
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'twofold-authenticator-'));
    keyFile = join(dataDir, 'keys', 'authenticator.json');
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const init = spawn(process.execPath, [BIN, 'init', '--organization', 'Acme Support', '--email', EMAIL, '--name', 'Mara Master', '--password-stdin'], { env: env(), stdio: 'pipe' });
    init.stdin.end(`${PASSWORD}\n`);
    assert.equal(await new Promise((resolve) => init.once('exit', resolve)), 0);
    server = spawn(process.execPath, [BIN, 'serve'], { env: { ...env(), PORT: String(port), TWOFOLD_HOST: '127.0.0.1', TWOFOLD_PUBLIC_URL: origin }, stdio: 'pipe' });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try { if ((await fetch(`${origin}/readyz`)).status === 200) break; } catch { /* starting */ }
      assert.ok(Date.now() < deadline, 'the server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  after(async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('--help, and strict options', async () => {
    const help = await twofold(['authenticator', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /pair LINK/);
    assert.match((await twofold(['authenticator', 'respond', '--help'])).stdout, /--number N/);
    assert.equal((await twofold(['authenticator', 'respond', '--approve'])).code, 2);
    assert.equal((await twofold(['authenticator', 'respond', '--approve', '--deny', '--number', '12'])).code, 2);
    assert.equal((await twofold(['authenticator', 'watch', '--colour'])).code, 2);
    assert.equal((await twofold(['authenticator', 'fly'])).code, 2);
    const missing = await twofold(['authenticator', 'respond', '--deny', '--key-file', join(dataDir, 'none.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /pair first/);
  });

  test('pairs, then approves a website sign-in with watch and a console sign-in with respond', async () => {
    const first = await http('POST', '/api/v1/sign-in', { email: EMAIL, password: PASSWORD, client: { kind: 'technician-console' } });
    const token = (first.body.session as { token: string }).token;
    const saved = await http('PUT', '/api/v1/settings/two-step-verification', {
      masterAdministrators: true, administrators: false, technicians: 'none', primaryMethod: 'push', allowedMethods: ['push', 'totp', 'sms', 'email'],
    }, { token });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));

    // Set-up from a legacy console: push is first there.
    const setup = await http('POST', '/api/v1/sign-in', { email: EMAIL, password: PASSWORD, client: { kind: 'technician-console', version: '7.50.3572' } });
    assert.equal(setup.body.state, 'setup');
    const bound = await http('POST', `/api/v1/transactions/${String(setup.body.id)}/factors`, { type: 'push' });
    assert.equal(bound.status, 201, JSON.stringify(bound.body));
    const paired = await twofold(['authenticator', 'pair', String(bound.body.pairingLink), '--name', 'Build laptop', '--key-file', keyFile]);
    assert.equal(paired.code, 0, paired.stderr);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    // The link is single use.
    const again = await twofold(['authenticator', 'pair', String(bound.body.pairingLink), '--key-file', join(dataDir, 'other.json')]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /invalid_pairing/);

    const shown = (await http('GET', `/api/v1/transactions/${String(setup.body.id)}/push-request`)).body.pushRequest as { id: string; number: string };
    // Through the environment variable this time.
    const confirmedByDevice = await twofold(['authenticator', 'respond', '--number', shown.number, '--approve'], { TWOFOLD_AUTHENTICATOR_KEY_FILE: keyFile });
    assert.equal(confirmedByDevice.code, 0, confirmedByDevice.stderr);
    assert.match(confirmedByDevice.stdout, /Finish pairing/);
    assert.equal((await http('POST', `/api/v1/transactions/${String(setup.body.id)}/factors/${String(bound.body.id)}/confirm`, { pushRequestId: shown.id })).status, 200);
    assert.equal((await http('POST', `/api/v1/transactions/${String(setup.body.id)}/activate`)).status, 200);

    // Website: the sign-in page shows the number; the member types it at watch's prompt.
    const browser = new Map<string, string>();
    const signIn = await http('POST', '/api/v1/sign-in', { email: EMAIL, password: PASSWORD, client: { kind: 'website' } }, { jar: browser });
    assert.equal(signIn.body.state, 'verify');
    const factorId = String(signIn.body.defaultFactorId);
    const sent = await http('POST', `/api/v1/transactions/${String(signIn.body.id)}/challenges`, { factorId }, { jar: browser });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const number = (sent.body.pushRequest as { number: string }).number;
    const pushId = (sent.body.pushRequest as { id: string }).id;
    const waiting = http('GET', `/api/v1/transactions/${String(signIn.body.id)}/push-request?seen=${pushId}:pending&waitSeconds=30`, undefined, { jar: browser });

    const watch = spawn(process.execPath, [BIN, 'authenticator', 'watch', '--once', '--key-file', keyFile], { env: env(), stdio: 'pipe' });
    let out = '';
    watch.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/Type the 2-digit number/.test(out) && !watch.stdin.writableEnded) watch.stdin.write(`${number}\n`);
    });
    let err = '';
    watch.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    const code = await new Promise((resolve) => watch.once('exit', resolve));
    assert.equal(code, 0, `${out}\n${err}`);
    assert.match(out, /Sign in: Mara Master <mara@example\.test>, Acme Support/);
    assert.match(out, /from the website/);
    assert.match(out, /Approved\./);
    assert.equal(((await waiting).body.pushRequest as { state: string }).state, 'approved');
    const verified = await http('POST', `/api/v1/transactions/${String(signIn.body.id)}/verify`, { factorId, pushRequestId: pushId }, { jar: browser });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.state, 'complete');
    assert.ok([...browser.keys()].some((name) => name.includes('twofold_session')), 'the website got its session cookie');

    // Technician Console 7.50.3572: respond with the number the console shows.
    const console = await http('POST', '/api/v1/sign-in', { email: EMAIL, password: PASSWORD, client: { kind: 'technician-console', version: '7.50.3572' } });
    const consoleSent = await http('POST', `/api/v1/transactions/${String(console.body.id)}/challenges`, { factorId });
    const consolePush = consoleSent.body.pushRequest as { id: string; number: string };
    const wrong = await twofold(['authenticator', 'respond', '--number', consolePush.number === '00' ? '01' : '00', '--approve', '--key-file', keyFile]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /push_number_mismatch/);

    const retry = await http('POST', `/api/v1/transactions/${String(console.body.id)}/challenges`, { factorId });
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    const retryPush = retry.body.pushRequest as { id: string; number: string };
    const approved = await twofold(['authenticator', 'respond', '--number', retryPush.number, '--approve', '--key-file', keyFile]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /Technician Console 7\.50\.3572/);
    const consoleVerified = await http('POST', `/api/v1/transactions/${String(console.body.id)}/verify`, { factorId, pushRequestId: retryPush.id });
    assert.equal(consoleVerified.status, 200, JSON.stringify(consoleVerified.body));
    assert.ok((consoleVerified.body.session as { token?: string }).token);

    const none = await twofold(['authenticator', 'respond', '--deny', '--key-file', keyFile]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no pending request/);
  });
});
