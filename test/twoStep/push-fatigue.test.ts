/**
 * Push fatigue through the API: one pending request per member, so a burst of sign-ins with the right
 * password sends a bounded number of pushes; three denied or expired requests in ten minutes suspend
 * push for fifteen minutes (other methods still work) and tell the member; "Deny and report" locks
 * push until an administrator clears it and writes an audit alert. Also the organization's six-digit
 * numbers and the legacy consoles' order. On SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, consoleSignIn, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { activate, bindSentCode, bindTotp, confirm, newPhone, signInExpecting, totpNow } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, verifiedSessionToken, type OrgWithAdmin, type MemberFixture } from './_fixtures.ts';
import { answer, bindAndPairPush, enrolPush, newDevice, pendingRequests, sendPush, verifyPush, type Device } from './_push.ts';

const PUSH_FIRST = { technicians: 'all' as const, primaryMethod: 'push' as const, allowedMethods: ['push' as const, 'totp' as const, 'sms' as const, 'email' as const] };

for (const engine of engines()) {
  describe(`push fatigue on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function pushMember(): Promise<{ org: OrgWithAdmin; member: MemberFixture; device: Device; factorId: string }> {
      const org = await organizationWith(t, PUSH_FIRST);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const device = await newDevice();
      const { factorId } = await enrolPush(t, member.email, device);
      return { org, member, device, factorId };
    }

    test('a burst of sign-ins with the right password sends one push at a time', async () => {
      const { member, device, factorId } = await pushMember();
      const transactions = await Promise.all(Array.from({ length: 8 }, () => signInExpecting(t, member.email, 'verify')));
      const answers = await Promise.all(transactions.map((tx) => call(t, 'POST', `/api/v1/transactions/${tx.id}/challenges`, { factorId })));
      const sent = answers.filter((r) => r.statusCode === 201);
      assert.equal(sent.length, 1, answers.map((r) => r.body).join('\n'));
      for (const refused of answers.filter((r) => r.statusCode !== 201)) {
        const body = expectProblem(refused, 409, 'push_pending');
        assert.ok(Number(body.retryAfterSeconds) > 0);
      }
      assert.equal((await pendingRequests(t, device)).length, 1);
      // The next one only once the first has ended.
      t.clock.advance(60_000);
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${transactions[1]!.id}/challenges`, { factorId })).statusCode, 201);
    });

    test('three denied or expired requests in ten minutes suspend push for fifteen minutes, tell the member, and leave other methods', async () => {
      const org = await organizationWith(t, PUSH_FIRST);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const device = await newDevice();
      // Push and an authenticator app, set up together.
      const setup = await signInExpecting(t, member.email, 'setup');
      const factorId = await bindAndPairPush(t, setup.id, device);
      const totp = await bindTotp(t, setup.id);
      assert.equal((await confirm(t, setup.id, totp.factorId, totpNow(t, totp.seed))).statusCode, 200);
      await activate(t, setup.id);
      t.clock.advance(30_000);

      const deny = async () => {
        const tx = await signInExpecting(t, member.email, 'verify');
        const sent = await sendPush(t, tx.id, factorId);
        assert.equal((await answer(t, device, sent.id, '', 'deny')).statusCode, 200);
        return tx;
      };
      await deny();
      t.clock.advance(60_000);
      const tx = await signInExpecting(t, member.email, 'verify');
      await sendPush(t, tx.id, factorId);
      t.clock.advance(61_000); // expired, unanswered
      const last = await deny();
      const notices = t.outbox.filter((m) => m.to === member.email && /paused/.test(m.subject));
      assert.equal(notices.length, 1, 'the member is told once');

      const refused = expectProblem(await call(t, 'POST', `/api/v1/transactions/${last.id}/challenges`, { factorId }), 429, 'push_suspended');
      assert.equal(refused.retryAfterSeconds, 15 * 60);
      // The authenticator app still works.
      const verified = await call(t, 'POST', `/api/v1/transactions/${last.id}/verify`, { factorId: totp.factorId, code: totpNow(t, totp.seed) });
      assert.equal(verified.statusCode, 200, verified.body);
      // Fifteen minutes after the last of them, push works again.
      t.clock.advance(15 * 60_000);
      const again = await signInExpecting(t, member.email, 'verify');
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${again.id}/challenges`, { factorId })).statusCode, 201);
      assert.equal(t.outbox.filter((m) => m.to === member.email && /paused/.test(m.subject)).length, 1);
    });

    test('two denials do not suspend, nor three spread over more than ten minutes', async () => {
      const { member, device, factorId } = await pushMember();
      for (let i = 0; i < 3; i++) {
        const tx = await signInExpecting(t, member.email, 'verify');
        const sent = await sendPush(t, tx.id, factorId);
        assert.equal((await answer(t, device, sent.id, '', 'deny')).statusCode, 200);
        t.clock.advance(5 * 60_000 + 1);
      }
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${tx.id}/challenges`, { factorId })).statusCode, 201);
    });

    test('"Deny and report" ends the attempt, locks push until an administrator clears it, and alerts administrators', async () => {
      const { org, member, device, factorId } = await pushMember();
      const tx = await signInExpecting(t, member.email, 'verify');
      const sent = await sendPush(t, tx.id, factorId);
      const reported = await answer(t, device, sent.id, '', 'deny_and_report');
      assert.equal(reported.json().state, 'reported');
      expectProblem(await verifyPush(t, tx.id, factorId, sent.id), 400, 'invalid_code');

      const events = await call(t, 'GET', '/api/v1/audit-events?limit=200', undefined, org.masterToken);
      const alert = (events.json() as { items: Array<{ changeType: string; entityId: string }> }).items.find((e) => e.changeType === 'PushReported');
      assert.equal(alert?.entityId, member.id);

      t.clock.advance(24 * 3_600_000);
      const later = await signInExpecting(t, member.email, 'verify');
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${later.id}/challenges`, { factorId }), 403, 'push_locked');
      // The member's record shows the lock to the administrators who may clear it, with no end.
      const adminToken = await verifiedSessionToken(t, org.email);
      const record = await call(t, 'GET', `/api/v1/members/${member.id}`, undefined, adminToken);
      assert.equal(record.statusCode, 200, record.body);
      assert.ok(record.json().pushLock?.lockedAt, 'the record says push is locked');
      const unlocked = await call(t, 'POST', `/api/v1/members/${member.id}/unlock`, { what: 'push' }, adminToken);
      assert.equal(unlocked.statusCode, 200, unlocked.body);
      assert.equal((await call(t, 'GET', `/api/v1/members/${member.id}`, undefined, adminToken)).json().pushLock, null);
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${later.id}/challenges`, { factorId })).statusCode, 201);
    });

    test('an organization can require six digits', async () => {
      const { org, member, device, factorId } = await pushMember();
      const saved = await call(t, 'PATCH', '/api/v1/organization/settings', { pushNumberDigits: 6 }, org.masterToken);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().pushNumberDigits, 6);
      expectProblem(await call(t, 'PATCH', '/api/v1/organization/settings', { pushNumberDigits: 4 }, org.masterToken), 400, 'validation_failed');
      const tx = await signInExpecting(t, member.email, 'verify');
      const sent = await sendPush(t, tx.id, factorId);
      assert.match(sent.number, /^\d{6}$/);
      assert.equal((await pendingRequests(t, device))[0]?.numberDigits, 6);
      assert.equal((await answer(t, device, sent.id, sent.number, 'approve')).statusCode, 200);
      assert.equal((await verifyPush(t, tx.id, factorId, sent.id)).statusCode, 200);
    });

    test('Technician Console 7.50.3572 and earlier: push, then the authenticator app, then text messages', async () => {
      const org = await organizationWith(t, { ...PUSH_FIRST, primaryMethod: 'sms' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const setup = await signInExpecting(t, member.email, 'setup');
      const smsId = await bindSentCode(t, setup.id, 'sms', newPhone());
      const totp = await bindTotp(t, setup.id);
      assert.equal((await confirm(t, setup.id, totp.factorId, totpNow(t, totp.seed))).statusCode, 200);
      const pushId = await bindAndPairPush(t, setup.id, await newDevice());
      await activate(t, setup.id);

      for (const version of ['7.50.3572', '7.50.3572-rc.1', '7.49.0']) {
        const { body } = await consoleSignIn(t, member.email, member.password, version);
        assert.deepEqual(body.factors.map((f) => f.id), [pushId, totp.factorId, smsId], version);
        assert.equal(body.defaultFactorId, pushId);
      }
      // Newer consoles and the website follow the primary method.
      const { body: newer } = await consoleSignIn(t, member.email, member.password, '7.50.3573');
      assert.deepEqual(newer.factors.map((f) => f.id), [smsId, pushId, totp.factorId]);
    });
  });
}
