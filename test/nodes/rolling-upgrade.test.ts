/**
 * A rolling upgrade on one PostgreSQL database: a node of the previous version (this repository at the
 * commit before the newest migration arrived, extracted with `git archive`, sharing node_modules) serves
 * an organization; a node of this version starts and runs the new migrations; both then serve side by
 * side. Sign-ins and sessions work on both, whichever node wrote them: a session issued by one is
 * accepted by the other, and a two-step sign-in started on one finishes on the other.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MIGRATIONS } from '../../src/storage/database.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { api, lastCode, startNode, type Node } from './_nodes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PASSWORD = 'Correct-Horse-9';
const CONSOLE = { kind: 'technician-console' };
const onPostgres = engines().includes('postgres');

/**
 * The previous version: on this checkout's first-parent history, the parent of the commit that added
 * the newest migration. Undefined outside a git checkout, or when the newest migration is not yet
 * committed (then the previous version is HEAD itself).
 */
function previousVersion(): string | undefined {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    const newest = Object.keys(MIGRATIONS).sort().at(-1)!;
    const added = git('rev-list', '--first-parent', '--reverse', 'HEAD', '--', `src/storage/migrations/${newest}.ts`).split('\n')[0];
    return added ? git('rev-parse', `${added}^1`) : git('rev-parse', 'HEAD');
  } catch {
    return undefined;
  }
}

const previous = onPostgres ? previousVersion() : undefined;
const skip = !onPostgres ? 'needs PostgreSQL (npm test starts one)' : previous === undefined ? 'needs a git checkout to find the previous version' : false;

describe('a rolling upgrade: the previous version and this one on one PostgreSQL database', { skip }, () => {
  let database: TestDatabase;
  const dirs: string[] = [];
  const running: Node[] = [];
  const secretKey = randomBytes(32).toString('hex');
  let oldBin = '';
  let oldNode: Node;
  let newNode: Node;
  const email = 'olga@example.test';

  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-upgrade-node-'));
    dirs.push(dir);
    return dir;
  };
  const node = async (bin?: string): Promise<Node> => {
    const started = await startNode({ databaseUrl: database.url, secretKey, dataDir: dataDir(), ...(bin ? { bin } : {}) });
    running.push(started);
    return started;
  };

  before(async () => {
    // The previous version's files, with this checkout's installed packages.
    const checkout = mkdtempSync(join(tmpdir(), 'twofold-previous-'));
    dirs.push(checkout);
    const archive = execFileSync('git', ['archive', '--format=tar', previous!], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
    mkdirSync(checkout, { recursive: true });
    execFileSync('tar', ['-x', '-C', checkout], { input: archive });
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(checkout, 'node_modules'));
    oldBin = join(checkout, 'bin/twofold.js');

    database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
    // The previous version runs alone first: it makes the schema it knows and the organization.
    oldNode = await node(oldBin);
    const init = spawnSync(process.execPath, [oldBin, 'init', '--organization', 'Upgrade Co', '--email', email, '--name', 'Olga Older', '--password-stdin'], {
      input: `${PASSWORD}\n`, env: { ...process.env, DATABASE_URL: database.url, TWOFOLD_SECRET_KEY: secretKey, TWOFOLD_DATA_DIR: oldNode.dataDir, TWOFOLD_LOG_LEVEL: 'warn' }, encoding: 'utf8',
    });
    assert.equal(init.status, 0, init.stderr);
    // The first node of this version runs the new migrations while the previous one serves.
    newNode = await node();
  });

  after(async () => {
    for (const n of running) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
    await Promise.all(running.map((n) => n.exited));
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('the new migrations ran, and the previous version still answers ready', async () => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('select name from kysely_migration order by name');
      assert.deepEqual(rows.map((r) => r.name), Object.keys(MIGRATIONS).sort());
    } finally {
      await client.end();
    }
    assert.equal((await fetch(`${oldNode.url}/readyz`)).status, 200, oldNode.output());
  });

  test('sessions issued by either version work on both', async () => {
    for (const signInNode of [oldNode, newNode]) {
      const signedIn = await api(signInNode, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      assert.equal(signedIn.body.state, 'complete', JSON.stringify(signedIn.body));
      const token = (signedIn.body.session as { token: string }).token;
      for (const n of [oldNode, newNode]) {
        const me = await api(n, 'GET', '/api/v1/me', undefined, token);
        assert.equal(me.status, 200, JSON.stringify(me.body));
        assert.equal(me.body.email, email);
      }
    }
  });

  test('a two-step sign-in started on one version finishes on the other, both ways', async () => {
    const signedIn = await api(newNode, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    const token = (signedIn.body.session as { token: string }).token;
    const saved = await api(oldNode, 'PUT', '/api/v1/settings/two-step-verification', {
      masterAdministrators: true, administrators: false, technicians: 'none', primaryMethod: 'email', allowedMethods: ['totp', 'sms', 'email'],
    }, token);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));

    // Set up: started on the previous version, factor bound on this one, confirmed on the previous, activated on this one.
    const started = await api(oldNode, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    assert.equal(started.body.state, 'setup', JSON.stringify(started.body));
    const tx = started.body.id as string;
    let since = Date.now() - 1000;
    const bound = await api(newNode, 'POST', `/api/v1/transactions/${tx}/factors`, { type: 'email', email });
    assert.equal(bound.status, 201, JSON.stringify(bound.body));
    const factorId = bound.body.id as string;
    const confirmed = await api(oldNode, 'POST', `/api/v1/transactions/${tx}/factors/${factorId}/confirm`, { code: await lastCode([oldNode, newNode], email, since) });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    const done = await api(newNode, 'POST', `/api/v1/transactions/${tx}/activate`);
    assert.equal(done.body.state, 'complete', JSON.stringify(done.body));

    // Verify: started on this version, the code sent by the previous one and checked by this one.
    const again = await api(newNode, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    assert.equal(again.body.state, 'verify', JSON.stringify(again.body));
    since = Date.now() - 1000;
    const sent = await api(oldNode, 'POST', `/api/v1/transactions/${again.body.id as string}/challenges`, { factorId });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const verified = await api(newNode, 'POST', `/api/v1/transactions/${again.body.id as string}/verify`, { factorId, code: await lastCode([oldNode, newNode], email, since) });
    assert.equal(verified.body.state, 'complete', JSON.stringify(verified.body));
    const session = (verified.body.session as { token: string }).token;
    for (const n of [oldNode, newNode]) assert.equal((await api(n, 'GET', '/api/v1/me', undefined, session)).status, 200);
  });
});
