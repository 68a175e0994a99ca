/**
 * Several nodes on one PostgreSQL database: two real `twofold serve` processes share nothing but the
 * database and the secret key. A sign-in started on one finishes on the other; limits and single-use
 * codes hold across them under parallel requests; and stopping one under load (SIGTERM, then
 * `kill -9`) loses nothing it answered with a success, while sessions go on working on the other; work
 * queued after an answer (a reset link) by a node killed before it ran is done by the other.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { OutboxEntry } from '../../src/delivery/outbox.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { api, lastCode, startNode, type Node } from './_nodes.ts';

const PASSWORD = 'Correct-Horse-9';
const CONSOLE = { kind: 'technician-console' };
const onPostgres = engines().includes('postgres');

describe('two nodes on one PostgreSQL database', { skip: onPostgres ? false : 'needs PostgreSQL (npm test starts one)' }, () => {
  let database: TestDatabase;
  let sql: pg.Client;
  const dirs: string[] = [];
  const running: Node[] = [];
  const secretKey = randomBytes(32).toString('hex');
  let a: Node;
  let b: Node;
  const email = 'mara@example.test';
  let masterToken = '';
  let factorId = '';

  const node = async (port?: number): Promise<Node> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twofold-node-'));
    dirs.push(dataDir);
    const started = await startNode({ databaseUrl: database.url, secretKey, dataDir, ...(port ? { port } : {}) });
    running.push(started);
    return started;
  };

  before(async () => {
    database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    // Started together: they migrate the empty database at the same time.
    [a, b] = await Promise.all([node(), node()]);
  });

  after(async () => {
    for (const n of running) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
    await Promise.all(running.map((n) => n.exited));
    await sql?.end();
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const count = async (query: string, params: unknown[]): Promise<number> =>
    Number((await sql.query<{ n: string }>(query, params)).rows[0]!.n);

  test('a sign-in started on one node finishes on the other', async () => {
    // `twofold init` on one node's machine: nothing about it stays there.
    const { spawnSync } = await import('node:child_process');
    const init = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/twofold.js'), 'init', '--organization', 'Acme Support', '--email', email, '--name', 'Mara Master', '--password-stdin'], {
      input: `${PASSWORD}\n`, env: { ...process.env, DATABASE_URL: database.url, TWOFOLD_SECRET_KEY: secretKey, TWOFOLD_DATA_DIR: a.dataDir, TWOFOLD_LOG_LEVEL: 'warn' }, encoding: 'utf8',
    });
    assert.equal(init.status, 0, init.stderr);

    // Master administrators must use two-step verification, by email (the outbox shows the codes).
    const first = await api(a, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const passwordOnly = (first.body.session as { token: string }).token;
    const saved = await api(b, 'PUT', '/api/v1/settings/two-step-verification', {
      masterAdministrators: true, administrators: false, technicians: 'none', primaryMethod: 'email', allowedMethods: ['totp', 'sms', 'email'],
    }, passwordOnly);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));

    // Started on A, factor bound on B, confirmed on A, activated on B.
    const started = await api(a, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    assert.equal(started.body.state, 'setup', JSON.stringify(started.body));
    const tx = started.body.id as string;
    const since = Date.now() - 1000;
    const bound = await api(b, 'POST', `/api/v1/transactions/${tx}/factors`, { type: 'email', email });
    assert.equal(bound.status, 201, JSON.stringify(bound.body));
    factorId = bound.body.id as string;
    const confirmed = await api(a, 'POST', `/api/v1/transactions/${tx}/factors/${factorId}/confirm`, { code: await lastCode([a, b], email, since) });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    const done = await api(b, 'POST', `/api/v1/transactions/${tx}/activate`);
    assert.equal(done.body.state, 'complete', JSON.stringify(done.body));
    masterToken = (done.body.session as { token: string }).token;
    for (const n of [a, b]) assert.equal((await api(n, 'GET', '/api/v1/me', undefined, masterToken)).status, 200);
  });

  test('a code sent by one node is used once, with parallel attempts on both', async () => {
    const started = await api(b, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    assert.equal(started.body.state, 'verify', JSON.stringify(started.body));
    const tx = started.body.id as string;
    const since = Date.now() - 1000;
    const sent = await api(a, 'POST', `/api/v1/transactions/${tx}/challenges`, { factorId });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const code = await lastCode([a, b], email, since);
    const burstAt = Date.now();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      api(i % 2 === 0 ? a : b, 'POST', `/api/v1/transactions/${tx}/verify`, { factorId, code })));
    const completed = answers.filter((r) => r.status === 200 && r.body.state === 'complete');
    assert.equal(completed.length, 1, JSON.stringify(answers.map((r) => [r.status, r.body.code ?? r.body.state])));
    assert.ok(answers.every((r) => r === completed[0] || (r.status >= 400 && r.status < 500)), 'the others are refused');
    assert.equal(await count('select count(*) as n from sessions where member_id = (select id from members where email = $1) and created_at >= $2', [email, burstAt]), 1, 'one session made by the burst');
  });

  test('wrong codes in one transaction: five at most, in parallel across both nodes', async () => {
    const started = await api(a, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    const tx = started.body.id as string;
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      api(i % 2 === 0 ? a : b, 'POST', `/api/v1/transactions/${tx}/verify`, { factorId, code: String(100000 + i) })));
    const codes = answers.map((r) => r.body.code);
    assert.ok(answers.every((r) => r.status >= 400 && r.status < 500), JSON.stringify(codes));
    // The fifth wrong code ends the transaction: four say so in `invalid_code`, the rest in `transaction_failed`.
    assert.ok(codes.filter((c) => c === 'invalid_code').length <= 5, JSON.stringify(codes));
    const after = await api(b, 'GET', `/api/v1/transactions/${tx}`);
    assert.equal(after.body.state, 'failed', JSON.stringify(after.body));
  });

  test('wrong passwords: ten in parallel across both nodes, then the password is locked on both', async () => {
    const victim = 'victim@example.test';
    const created = await api(a, 'POST', '/api/v1/members', { name: 'Vic Tim', email: victim, password: PASSWORD, role: 'master_administrator' }, masterToken);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) =>
      api(i % 2 === 0 ? a : b, 'POST', '/api/v1/sign-in', { email: victim, password: `Wrong-Horse-${i}`, client: CONSOLE })));
    const codes = answers.map((r) => r.body.code);
    assert.equal(codes.filter((c) => c === 'invalid_credentials').length, 10, JSON.stringify(codes));
    assert.equal(codes.filter((c) => c === 'password_locked').length, 6, JSON.stringify(codes));
    for (const n of [a, b]) {
      const right = await api(n, 'POST', '/api/v1/sign-in', { email: victim, password: PASSWORD, client: CONSOLE });
      assert.equal(right.body.code, 'password_locked');
    }
  });

  /**
   * A bounded load on both nodes: new members (each audited) and saves of a setting, from a few
   * clients, for at most `ms` or `max` requests each. Returns what was answered with a success.
   */
  async function load(targets: () => Node[], ms: number, max: number) {
    const members: string[] = [];
    const settings: Array<{ value: number; answered: boolean }> = [];
    const stopAt = Date.now() + ms;
    let n = 0;
    const worker = async (w: number) => {
      for (let i = 0; i < max && Date.now() < stopAt; i++) {
        const live = targets();
        const target = live[(w + i) % live.length]!;
        if (w === 0) {
          // Administrators on and off: there are none, so it changes nothing else the test uses.
          const value = i % 2 === 0 ? 1 : 0;
          settings.push({ value, answered: false });
          const saved = await api(target, 'PUT', '/api/v1/settings/two-step-verification', {
            masterAdministrators: true, administrators: value === 1, technicians: 'none', primaryMethod: 'email', allowedMethods: ['totp', 'sms', 'email'],
          }, masterToken);
          if (saved.status === 200) settings.at(-1)!.answered = true;
        } else {
          const made = await api(target, 'POST', '/api/v1/members', { name: `Load ${w}-${i}`, email: `load-${process.pid}-${++n}-${w}-${i}@example.test`, role: 'master_administrator' }, masterToken);
          if (made.status === 201) members.push(made.body.id as string);
        }
      }
    };
    return { run: Promise.all([0, 1, 2, 3].map(worker)).then(() => ({ members, settings })) };
  }

  /** Every member answered 201 is there with its audit entry; the setting is the last one answered or one sent after it. */
  async function assertNothingLost(result: { members: string[]; settings: Array<{ value: number; answered: boolean }> }) {
    assert.ok(result.members.length > 0, 'the load made members');
    const ids = result.members;
    assert.equal(await count('select count(*) as n from members where id = any($1)', [ids]), ids.length, 'every member answered 201 is there');
    assert.equal(await count("select count(distinct entity_id) as n from audit_events where entity_id = any($1) and change_type = 'Add'", [ids]), ids.length, 'with its audit entry');
    const lastAnswered = result.settings.map((s) => s.answered).lastIndexOf(true);
    if (lastAnswered >= 0) {
      const possible = new Set(result.settings.slice(lastAnswered).map((s) => s.value));
      const { rows } = await sql.query<{ tsv_administrators: number }>('select tsv_administrators from organizations');
      assert.ok(possible.has(Number(rows[0]!.tsv_administrators)), 'the setting last answered, or one sent after it');
    }
    assert.equal(await count('select count(*) as n from factors where id = $1', [factorId]), 1, 'the factor is there');
  }

  test('SIGTERM on one node under load: it drains and exits cleanly, nothing answered is lost', async () => {
    let targets = [a, b];
    const { run } = await load(() => targets, 8_000, 40);
    await new Promise((r) => setTimeout(r, 1_500));
    a.child.kill('SIGTERM');
    // Draining: not ready while it still answers; the balancer (here, the load) moves to B.
    let readiness = await api(a, 'GET', '/readyz');
    for (let i = 0; i < 100 && readiness.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      readiness = await api(a, 'GET', '/readyz');
    }
    assert.equal(readiness.status, 503, 'not ready while draining, and still answering');
    assert.equal(readiness.body.code, 'not_ready');
    targets = [b];
    assert.equal(await a.exited, 0, a.output());
    const result = await run;
    await assertNothingLost(result);
    assert.equal((await api(b, 'GET', '/api/v1/me', undefined, masterToken)).status, 200, 'the session works on the other node');
  });

  test('kill -9 of one node under load: nothing answered is lost, sessions go on on the other', async () => {
    a = await node(a.port);
    let targets = [a, b];
    const { run } = await load(() => targets, 8_000, 40);
    await new Promise((r) => setTimeout(r, 1_500));
    b.child.kill('SIGKILL');
    await b.exited;
    targets = [a];
    const result = await run;
    await assertNothingLost(result);
    assert.equal((await api(a, 'GET', '/api/v1/me', undefined, masterToken)).status, 200, 'the session works on the other node');
    const again = await api(a, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: CONSOLE });
    assert.equal(again.body.state, 'verify', 'sign-in goes on');
  });

  test('a password reset answered by a node killed before it sent the link: another node sends it', async () => {
    b = await node(b.port);
    const asked = await api(b, 'POST', '/api/v1/password-resets', { email });
    assert.equal(asked.status, 202, JSON.stringify(asked.body));
    // At once: B runs its jobs only after a random delay of up to a second, so it has almost always
    // not sent the link yet (when it has, the link must still be sent exactly once).
    b.child.kill('SIGKILL');
    await b.exited;
    const resetMails = () => running.flatMap((n) => {
      try {
        return readFileSync(join(n.dataDir, 'outbox.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => ({ node: n, entry: JSON.parse(line) as OutboxEntry }));
      } catch { return []; }
    }).filter(({ entry }) => entry.to === email && entry.text.includes('/password-reset/'));
    // A polls every five seconds; a job B had taken when it died waits for its lease (a minute).
    const deadline = Date.now() + 90_000;
    while (resetMails().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(resetMails().length, 1, 'the link is sent once');
    assert.equal(await count('select count(*) as n from after_answer_jobs', []), 0, 'nothing is left to do');
  });
});
