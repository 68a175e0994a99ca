/**
 * Rule: the outbox, the embedded default sender (docs/decisions.md "The outbox is the embedded default for messages"): each message is
 * appended as one JSON line `{at, channel, to, subject, text}` to `outbox.jsonl` before the request
 * that sends it returns, so a member (or a tester) can read the code right after the response. The
 * file holds live codes: mode 0600. Here both channels of a whole set-up and sign-in go through it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOutbox, outboxPath, type OutboxEntry } from '../../src/delivery/outbox.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { challenge, confirm, newPhone, signInExpecting, verify } from './_factors.ts';
import { addGroup, addMember, organizationWith } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`the outbox on ${engine}`, () => {
    let t: TestApp;
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'twofold-2sv-outbox-'));
      let clock: () => Date = () => new Date();
      const senders = createOutbox(dir, () => clock());
      t = await createTestApp({ engine, smsSender: senders.sms, emailSender: senders.email });
      clock = t.clock.now;
    });
    after(async () => {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    });

    /** Every line of the outbox, parsed; read straight from disk, no waiting. */
    async function lines(): Promise<OutboxEntry[]> {
      const text = await readFile(outboxPath(dir), 'utf8');
      assert.ok(text.endsWith('\n'));
      return text.trimEnd().split('\n').map((line) => JSON.parse(line) as OutboxEntry);
    }
    const codeIn = (entry: OutboxEntry | undefined): string => {
      assert.ok(entry, 'a message was written');
      return /\b(\d{6})\b/.exec(entry.text)![1]!;
    };

    test('codes and notices are on disk when the request that sent them returns', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'sms' }, 'Outbox Inc');
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const setup = await signInExpecting(t, member.email, 'setup');
      const phone = newPhone();

      const created = await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'sms', phoneNumber: phone });
      assert.equal(created.statusCode, 201, created.body);
      const sms = (await lines()).at(-1);
      assert.deepEqual(Object.keys(sms ?? {}).sort(), ['at', 'channel', 'subject', 'text', 'to']);
      assert.equal(sms?.channel, 'sms');
      assert.equal(sms?.to, phone);
      assert.equal(sms?.at, t.clock.now().toISOString());
      assert.equal((await confirm(t, setup.id, created.json().id, codeIn(sms))).statusCode, 200);

      // A backup by email, to the member's own address.
      const backup = await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'email' });
      assert.equal(backup.statusCode, 201, backup.body);
      const mail = (await lines()).at(-1);
      assert.equal(mail?.channel, 'email');
      assert.equal(mail?.to, member.email);
      assert.match(mail?.subject ?? '', /Outbox Inc/);
      assert.equal((await confirm(t, setup.id, backup.json().id, codeIn(mail))).statusCode, 200);

      const count = (await lines()).length;
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`)).statusCode, 200);
      const notices = (await lines()).slice(count);
      assert.equal(notices.length, 2, 'one notice per bound factor');
      for (const notice of notices) {
        assert.equal(notice.channel, 'email');
        assert.equal(notice.to, member.email);
        assert.doesNotMatch(notice.text, /\b\d{6}\b/);
      }

      t.clock.advance(30_000);
      const next = await signInExpecting(t, member.email, 'verify');
      // The primary method first, then the backup.
      assert.deepEqual(next.factors.map((f) => f.type), ['sms', 'email']);
      assert.equal((await challenge(t, next.id, backup.json().id)).statusCode, 201);
      const ok = await verify(t, next.id, backup.json().id, codeIn((await lines()).at(-1)));
      assert.equal(ok.statusCode, 200, ok.body);

      assert.equal((await stat(outboxPath(dir))).mode & 0o777, 0o600);
    });
  });
}
