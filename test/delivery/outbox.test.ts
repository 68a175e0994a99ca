// The outbox holds live codes: each message must be on disk, readable only by the server's user,
// before the request that sent it returns (a tester or `twofold outbox` reads it right after).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TwofoldError } from '../../src/core/errors.ts';
import { createOutbox, outboxPath, readOutbox } from '../../src/delivery/outbox.ts';

const fixedClock = (): Date => new Date('2025-03-04T05:06:07.000Z');

async function withDataDir(use: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'twofold-outbox-'));
  try {
    await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('send() has written one JSON line when it resolves', () =>
  withDataDir(async (dir) => {
    const outbox = createOutbox(dir, fixedClock);
    await outbox.sms.send({ channel: 'sms', to: '+15005550006', subject: 'Acme: verification code', text: '123456 is your code' });
    const lines = (await readFile(outboxPath(dir), 'utf8')).split('\n');
    assert.equal(lines.length, 2, 'one line and the final newline');
    assert.deepEqual(JSON.parse(lines[0] ?? ''), {
      at: '2025-03-04T05:06:07.000Z',
      channel: 'sms',
      to: '+15005550006',
      subject: 'Acme: verification code',
      text: '123456 is your code',
    });
    assert.equal(lines[1], '');
  }));

test('the outbox file is created with mode 0600, in a data directory created if missing', () =>
  withDataDir(async (parent) => {
    const dir = join(parent, 'nested', 'data');
    await createOutbox(dir, fixedClock).email.send({ channel: 'email', to: 'a@example.com', subject: 's', text: 't' });
    const { mode } = await stat(outboxPath(dir));
    assert.equal(mode & 0o777, 0o600);
  }));

test('parallel sends on both channels give one whole line each', () =>
  withDataDir(async (dir) => {
    const outbox = createOutbox(dir, fixedClock);
    const text = 'x'.repeat(2_000); // longer than one small write, to catch interleaving
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? outbox.sms : outbox.email).send({
          channel: i % 2 ? 'sms' : 'email',
          to: `member${i}@example.com`,
          subject: `n${i}`,
          text,
        }),
      ),
    );
    const entries = await readOutbox(dir, 100);
    assert.equal(entries.length, 40);
    assert.deepEqual(new Set(entries.map((entry) => entry.subject)), new Set(Array.from({ length: 40 }, (_, i) => `n${i}`)));
    assert.ok(entries.every((entry) => entry.text === text));
  }));

test('readOutbox returns the latest entries, oldest first', () =>
  withDataDir(async (dir) => {
    let minute = 0;
    const outbox = createOutbox(dir, () => new Date(Date.UTC(2025, 0, 1, 0, minute++)));
    for (const n of [1, 2, 3, 4, 5]) {
      await outbox.email.send({ channel: 'email', to: 'a@example.com', subject: `code ${n}`, text: `${n}` });
    }
    const latest = await readOutbox(dir, 2);
    assert.deepEqual(latest.map((entry) => entry.subject), ['code 4', 'code 5']);
    assert.equal(latest[1]?.at, '2025-01-01T00:04:00.000Z');
    assert.equal(latest[1]?.channel, 'email');
  }));

test('readOutbox on a fresh data directory is empty, and skips a line cut short by a crash', () =>
  withDataDir(async (dir) => {
    assert.deepEqual(await readOutbox(dir, 10), []);
    const good = JSON.stringify({ at: '2025-01-01T00:00:00.000Z', channel: 'sms', to: '+1', subject: 's', text: 't' });
    await writeFile(outboxPath(dir), `${good}\n{"at":"2025-01-01T00:01:00.0`);
    assert.deepEqual(await readOutbox(dir, 10), [JSON.parse(good)]);
  }));

test('a write that fails rejects with delivery_failed', () =>
  withDataDir(async (dir) => {
    // A data "directory" that is a file cannot hold the outbox.
    const file = join(dir, 'not-a-directory');
    await writeFile(file, '');
    await assert.rejects(
      createOutbox(file, fixedClock).sms.send({ channel: 'sms', to: '+1', subject: 's', text: 't' }),
      (error: unknown) => error instanceof TwofoldError && error.code === 'delivery_failed',
    );
  }));

test('both senders say where messages go', () => {
  const outbox = createOutbox('data', fixedClock);
  assert.equal(outbox.sms.channel, 'sms');
  assert.equal(outbox.email.channel, 'email');
  assert.equal(outbox.email.description, 'outbox data/outbox.jsonl');
});
