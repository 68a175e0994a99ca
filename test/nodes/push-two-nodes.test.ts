/**
 * Push across nodes on one PostgreSQL database: a request made on node A reaches an authenticator
 * whose stream is held on node B (PostgreSQL LISTEN/NOTIFY), and the answer given on B ends the
 * sign-in side's wait held on A at once. Two real `twofold serve` processes, a terminal-authenticator
 * client speaking the public protocol.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceClient, pairDevice, type PushRequestContext } from '../../src/cli/authenticator/deviceClient.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { api, startNode, type Node } from './_nodes.ts';

const PASSWORD = 'Correct-Horse-9';
const CONSOLE = { kind: 'technician-console' };
const onPostgres = engines().includes('postgres');

describe('push across two nodes on one PostgreSQL database', { skip: onPostgres ? false : 'needs PostgreSQL (npm test starts one)' }, () => {
  let database: TestDatabase;
  const dirs: string[] = [];
  const running: Node[] = [];
  const secretKey = randomBytes(32).toString('hex');
  let a: Node;
  let b: Node;
  const email = 'mara@example.test';

  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-push-node-'));
    dirs.push(dir);
    return dir;
  };

  before(async () => {
    database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
    [a, b] = await Promise.all([tempDir(), tempDir()].map(async (dataDir) => {
      const started = await startNode({ databaseUrl: database.url, secretKey, dataDir });
      running.push(started);
      return started;
    })) as [Node, Node];
  });

  after(async () => {
    for (const n of running) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
    await Promise.all(running.map((n) => n.exited));
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a request made on node A reaches the authenticator connected to node B, and B\'s answer ends A\'s wait', async () => {
    const init = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/twofold.js'), 'init', '--organization', 'Acme Support', '--email', email, '--name', 'Mara Master', '--password-stdin'], {
      input: `${PASSWORD}\n`, env: { ...process.env, DATABASE_URL: database.url, TWOFOLD_SECRET_KEY: secretKey, TWOFOLD_DATA_DIR: a.dataDir, TWOFOLD_LOG_LEVEL: 'warn' }, encoding: 'utf8',
    });
    assert.equal(init.status, 0, init.stderr);
    const first = await api(a, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    const token = (first.body.session as { token: string }).token;
    const saved = await api(a, 'PUT', '/api/v1/settings/two-step-verification', {
      masterAdministrators: true, administrators: false, technicians: 'none', primaryMethod: 'push', allowedMethods: ['push', 'totp', 'sms', 'email'],
    }, token);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));

    // Set-up on A; the authenticator pairs through B.
    const setup = await api(a, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    assert.equal(setup.body.state, 'setup');
    const bound = await api(a, 'POST', `/api/v1/transactions/${String(setup.body.id)}/factors`, { type: 'push' });
    assert.equal(bound.status, 201, JSON.stringify(bound.body));
    const link = String(bound.body.pairingLink).replace(a.url, b.url);
    const keyFile = join(tempDir(), 'authenticator.json');
    await pairDevice(link, keyFile, 'Node test', 'terminal');
    const device = await DeviceClient.open(keyFile);
    assert.equal(device.device.serverOrigin, b.url);

    const pairing = await api(a, 'GET', `/api/v1/transactions/${String(setup.body.id)}/push-request`);
    const shown = pairing.body.pushRequest as { id: string; number: string; purpose: string };
    assert.equal(shown.purpose, 'pairing');
    assert.equal(await device.decide(shown.id, shown.number, 'approve'), 'approved');
    const confirmed = await api(a, 'POST', `/api/v1/transactions/${String(setup.body.id)}/factors/${String(bound.body.id)}/confirm`, { pushRequestId: shown.id });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal((await api(b, 'POST', `/api/v1/transactions/${String(setup.body.id)}/activate`)).status, 200);

    // The stream is held on B.
    const received: PushRequestContext[] = [];
    const closed: Array<{ id: string; state: string }> = [];
    const stop = new AbortController();
    const streaming = device.stream({ onRequest: (r) => received.push(r), onClosed: (id, state) => closed.push({ id, state }) }, stop.signal);
    await new Promise((r) => setTimeout(r, 500));

    try {
      const signIn = await api(a, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: { kind: 'technician-console', version: '7.50.3572' } });
      assert.equal(signIn.body.state, 'verify');
      const sent = await api(a, 'POST', `/api/v1/transactions/${String(signIn.body.id)}/challenges`, { factorId: String(bound.body.id) });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      const pushRequest = sent.body.pushRequest as { id: string; number: string };

      const deadline = Date.now() + 5_000;
      while (!received.some((r) => r.id === pushRequest.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const request = received.find((r) => r.id === pushRequest.id);
      assert.ok(request, 'the request made on A reached the stream held on B');
      assert.deepEqual(request.client, { kind: 'technician-console', version: '7.50.3572' });

      // A's wait ends as soon as B records the answer.
      const waiting = api(a, 'GET', `/api/v1/transactions/${String(signIn.body.id)}/push-request?seen=${pushRequest.id}:pending&waitSeconds=25`);
      await new Promise((r) => setTimeout(r, 300));
      const answeredAt = Date.now();
      assert.equal(await device.decide(pushRequest.id, pushRequest.number, 'approve'), 'approved');
      const waited = await waiting;
      assert.equal((waited.body.pushRequest as { state: string }).state, 'approved');
      assert.ok(Date.now() - answeredAt < 5_000, 'the wait on A answered on the change');
      const verified = await api(a, 'POST', `/api/v1/transactions/${String(signIn.body.id)}/verify`, { factorId: String(bound.body.id), pushRequestId: pushRequest.id });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.state, 'complete');

      const closeDeadline = Date.now() + 5_000;
      while (!closed.some((c) => c.id === pushRequest.id) && Date.now() < closeDeadline) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(closed.find((c) => c.id === pushRequest.id), { id: pushRequest.id, state: 'approved' });
    } finally {
      stop.abort();
      await streaming.catch(() => {});
    }
  });
});
