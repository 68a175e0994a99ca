/**
 * A new primary method resets everyone who had two-step verification set up, and each of them is told
 * by email, as a single reset tells its member: after the save has answered (a mail server that hangs
 * does not hold it), in batches. The preview lists those members a page at a time.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '../../src/delivery/ports.ts';
import { NOTICE_BATCH } from '../../src/services/twoStep/epochReset.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { enrolTotp } from './_factors.ts';
import { DEFAULT_SETTINGS, SETTINGS_URL, addGroup, addMember, organizationWith, setMemberEnabled, type MemberFixture } from './_fixtures.ts';

const RESET_SUBJECT = /your two-step verification was reset/;

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(10);
  assert.ok(check(), what);
}

for (const engine of engines()) {
  describe(`telling members of a new primary method on ${engine}`, () => {
    let t: TestApp;
    /** While closed, every email waits: a mail server that hangs. */
    let gate: Promise<void> = Promise.resolve();
    const emails: Message[] = [];
    before(async () => {
      t = await createTestApp({
        engine,
        emailSender: { channel: 'email', description: 'gated recorder', send: async (message) => { await gate; emails.push(message); } },
      });
    });
    after(async () => { await t.close(); });

    async function organizationWithSetUpMembers(count: number) {
      const org = await organizationWith(t, { technicians: 'all' });
      const group = await addGroup(t, org);
      const setUp: MemberFixture[] = [];
      for (let i = 0; i < count; i++) {
        const member = await addMember(t, org, { technicianGroupId: group });
        await enrolTotp(t, member.email);
        setUp.push(member);
      }
      const notSetUp = await addMember(t, org, { technicianGroupId: group });
      const disabled = await addMember(t, org, { technicianGroupId: group });
      await enrolTotp(t, disabled.email);
      await setMemberEnabled(t, disabled.id, false);
      return { org, setUp, notSetUp, disabled };
    }

    test('each member who was set up is told after the save answered, and no one else', async () => {
      const { org, setUp, notSetUp, disabled } = await organizationWithSetUpMembers(3);
      let open!: () => void;
      gate = new Promise((resolve) => { open = resolve; });
      const saved = await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, technicians: 'all', primaryMethod: 'sms' }, org.masterToken);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().membersReset, 3);
      assert.equal(emails.filter((m) => RESET_SUBJECT.test(m.subject)).length, 0, 'nothing was sent before the answer');
      open();
      const told = () => emails.filter((m) => RESET_SUBJECT.test(m.subject) && setUp.some((s) => s.email === m.to));
      await eventually(() => told().length === 3, `every member set up is told: ${JSON.stringify(emails.map((m) => [m.to, m.subject]))}`);
      await sleep(50);
      assert.deepEqual(told().map((m) => m.to).sort(), setUp.map((m) => m.email).sort(), 'once each');
      assert.ok(!emails.some((m) => RESET_SUBJECT.test(m.subject) && (m.to === notSetUp.email || m.to === disabled.email)));
      assert.match(told()[0]!.text, /text message/);
      assert.doesNotMatch(told()[0]!.text, /\bsms\b/);
    });

    test('more members than one batch are all told', async () => {
      const { org, setUp } = await organizationWithSetUpMembers(0);
      // Enough factors for two batches, written straight to the store (enrolling each would be slow).
      const group = await addGroup(t, org);
      const many: MemberFixture[] = [];
      const epoch = (await t.ctx.db.selectFrom('organizations').select('two_step_epoch').where('id', '=', org.organizationId).executeTakeFirstOrThrow()).two_step_epoch;
      for (let i = 0; i < NOTICE_BATCH + 3; i++) {
        const member = await addMember(t, org, { technicianGroupId: group });
        await t.ctx.db.insertInto('factors').values({
          id: `${member.id.slice(0, 30)}f${String(i).padStart(5, '0')}`, organization_id: org.organizationId, member_id: member.id, type: 'email',
          label: member.email, epoch, active: 1, secret: null, destination: member.email, last_step: null, failures: 0,
          locked_until: null, locked_until_reset: 0, setup_transaction_id: null, created_at: 0, confirmed_at: 0,
        }).execute();
        many.push(member);
      }
      assert.deepEqual(setUp, []);
      const saved = await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, technicians: 'all', primaryMethod: 'email' }, org.masterToken);
      assert.equal(saved.json().membersReset, many.length);
      const told = () => new Set(emails.filter((m) => RESET_SUBJECT.test(m.subject) && many.some((s) => s.email === m.to)).map((m) => m.to));
      await eventually(() => told().size === many.length, 'every member is told');
    });

    test('the preview lists the members a new primary method resets, page by page', async () => {
      const { org, setUp } = await organizationWithSetUpMembers(5);
      const next = { ...DEFAULT_SETTINGS, technicians: 'all', primaryMethod: 'email' };
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
        const response = await call(t, 'POST', `${SETTINGS_URL}/preview${query}`, next, org.masterToken);
        assert.equal(response.statusCode, 200, response.body);
        const body = response.json() as { membersReset: number; affectedMembers: { items: Array<{ id: string; email: string }>; nextCursor: string | null } };
        assert.equal(body.membersReset, 5);
        assert.ok(body.affectedMembers.items.length <= 2);
        seen.push(...body.affectedMembers.items.map((m) => m.email));
        cursor = body.affectedMembers.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seen.sort(), setUp.map((m) => m.email).sort());
      // Keeping the primary method resets nobody: nobody listed.
      const same = await call(t, 'POST', `${SETTINGS_URL}/preview`, { ...next, primaryMethod: 'totp' }, org.masterToken);
      assert.deepEqual(same.json().affectedMembers, { items: [], nextCursor: null });
    });
  });
}
