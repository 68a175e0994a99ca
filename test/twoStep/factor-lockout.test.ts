/**
 * Threat: online guessing spread over many sign-ins. docs/security.md S3 (NIST §3.2.2): consecutive
 * failures per member and factor lock the factor (docs/two-step-verification.md "Limits": 10 in a row lock it for 15
 * minutes, each further lock doubles), never more than 100 in a row (then locked until a reset), a
 * success clears the count; a reset or time unlocks it, and the lock is visible.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, tokenFor, type TestApp, type TransactionBody } from '../support/harness.ts';
import { enrolTotp, signInExpecting, totpNow, verify, wrongTotp, type EnrolledTotp } from './_factors.ts';
import {
  addGroup, addMember, assignGroup, codeCounts, expectProblem, factorRow, organizationWith, requiredTechnician, transactionFailures,
  type MemberFixture,
} from './_fixtures.ts';

const MINUTE = 60_000;

for (const engine of engines()) {
  describe(`factor lockout on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function enrolled() {
      const { org, member } = await requiredTechnician(t);
      return { org, member, factor: await enrolTotp(t, member.email) };
    }

    /** `count` wrong codes, in as many sign-ins as it takes (5 per transaction). */
    async function wrongCodes(member: MemberFixture, factor: EnrolledTotp, count: number): Promise<void> {
      let tx = await signInExpecting(t, member.email, 'verify');
      for (let i = 0; i < count; i++) {
        if (i > 0 && i % 5 === 0) tx = await signInExpecting(t, member.email, 'verify');
        const response = await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i));
        assert.ok([400, 410].includes(response.statusCode), response.body);
      }
    }

    async function expectLocked(member: MemberFixture, factor: EnrolledTotp): Promise<Record<string, unknown>> {
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.equal(tx.factors.find((f) => f.id === factor.factorId)?.locked, true, 'the transaction shows the lock');
      const response = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
      const body = expectProblem(response, 423, 'factor_locked');
      assert.equal(await transactionFailures(t, tx.id), 0, 'a locked factor is not tried, so nothing is counted');
      return { ...body, retryAfter: response.headers['retry-after'] };
    }

    async function expectUnlocked(member: MemberFixture, factor: EnrolledTotp): Promise<void> {
      const tx = await signInExpecting(t, member.email, 'verify');
      const ok = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(ok.statusCode, 200, ok.body);
      t.clock.advance(30_000);
    }

    test('10 wrong codes in a row over two sign-ins lock the factor for 15 minutes, then the next lock doubles', async () => {
      const { member, factor } = await enrolled();
      await wrongCodes(member, factor, 9);
      assert.equal((await factorRow(t, factor.factorId)).failures, 9);
      await expectUnlockedWithoutUsing(member, factor);
      await wrongCodes(member, factor, 1);
      assert.equal((await factorRow(t, factor.factorId)).failures, 10);

      const locked = await expectLocked(member, factor);
      assert.equal(locked.retryAfter, '900');
      // The member sees it too, from a session they already hold.
      const me = await call(t, 'GET', '/api/v1/me', undefined, factor.token);
      assert.equal(me.json().twoStepVerification.locked, true);

      t.clock.advance(15 * MINUTE - 1000);
      await expectLocked(member, factor);
      t.clock.advance(1000);
      // Unlocked by time; ten more wrong codes (20 in a row) lock it for twice as long.
      await wrongCodes(member, factor, 10);
      assert.equal((await factorRow(t, factor.factorId)).failures, 20);
      assert.equal((await expectLocked(member, factor)).retryAfter, '1800');
      t.clock.advance(15 * MINUTE);
      await expectLocked(member, factor);
      t.clock.advance(15 * MINUTE);
      await expectUnlocked(member, factor);
      assert.equal((await factorRow(t, factor.factorId)).failures, 0, 'a success clears the count');
    });

    /** Nine failures do not lock: the factor can still be tried (without spending the right code). */
    async function expectUnlockedWithoutUsing(member: MemberFixture, factor: EnrolledTotp): Promise<void> {
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.equal(tx.factors.find((f) => f.id === factor.factorId)?.locked, false);
    }

    test('20 parallel wrong codes from 20 sign-ins: exactly 10 are tried, then the factor is locked', async () => {
      const { member, factor } = await enrolled();
      const transactions: TransactionBody[] = [];
      for (let i = 0; i < 20; i++) transactions.push(await signInExpecting(t, member.email, 'verify'));
      const responses = await Promise.all(transactions.map((tx, i) => verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i))));
      assert.deepEqual(codeCounts(responses), { invalid_code: 10, factor_locked: 10 });
      const row = await factorRow(t, factor.factorId);
      assert.equal(row.failures, 10);
      assert.equal(row.locked_until, t.clock.now().getTime() + 15 * MINUTE);
    });

    test('a success clears the count: failures before it do not add up to a lock', async () => {
      const { member, factor } = await enrolled();
      await wrongCodes(member, factor, 9);
      await expectUnlocked(member, factor);
      await wrongCodes(member, factor, 9);
      assert.equal((await factorRow(t, factor.factorId)).failures, 9);
      await expectUnlocked(member, factor);
    });

    test('the 100th failure in a row locks the factor until a reset', async () => {
      const { org, member, factor } = await enrolled();
      // 98 earlier failures (set directly; the timed locks in between have passed).
      await t.ctx.db.updateTable('factors').set({ failures: 98 }).where('id', '=', factor.factorId).execute();
      await wrongCodes(member, factor, 1);
      // 99 is no lock: the right code still works and clears the count.
      await expectUnlocked(member, factor);

      await t.ctx.db.updateTable('factors').set({ failures: 99 }).where('id', '=', factor.factorId).execute();
      await wrongCodes(member, factor, 1);
      assert.equal((await factorRow(t, factor.factorId)).failures, 100);
      assert.equal((await factorRow(t, factor.factorId)).locked_until_reset, 1);
      const locked = await expectLocked(member, factor);
      assert.equal(locked.lockedUntil, null);
      t.clock.advance(365 * 24 * 60 * MINUTE);
      await expectLocked(member, factor);

      // An administrator's reset unlocks: the member sets two-step verification up again.
      const reset = await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id] }, await tokenFor(t, org.email));
      assert.equal(reset.statusCode, 200, reset.body);
      assert.deepEqual(reset.json(), { reset: 1 });
      const again = await enrolTotp(t, member.email);
      await expectUnlocked(member, again);
    });

    test('the lock is per member and factor: another member is not affected', async () => {
      const { org, member, factor } = await enrolled();
      const other = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const otherFactor = await enrolTotp(t, other.email);
      await wrongCodes(member, factor, 10);
      await expectLocked(member, factor);
      assert.equal((await factorRow(t, otherFactor.factorId)).failures, 0);
      await expectUnlocked(other, otherFactor);
    });

    test('an administrator sees the lock on the member, and a master administrator\'s reset lifts it', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const group = await addGroup(t, org);
      const member = await addMember(t, org, { technicianGroupId: group });
      const factor = await enrolTotp(t, member.email);
      const administrator = await addMember(t, org, { role: 'administrator' });
      await assignGroup(t, administrator.id, group);
      const adminToken = await tokenFor(t, administrator.email);
      const read = async () => {
        const response = await call(t, 'GET', `/api/v1/members/${member.id}`, undefined, adminToken);
        assert.equal(response.statusCode, 200, response.body);
        type Factor = { id: string; locked: boolean; lockedUntil: string | null };
        return (response.json() as { twoStepVerification: { locked: boolean; setUp: boolean; factors: Factor[] } }).twoStepVerification;
      };

      const before = await read();
      assert.equal(before.locked, false);
      assert.deepEqual(before.factors.map((f) => [f.id, f.locked, f.lockedUntil]), [[factor.factorId, false, null]]);

      await wrongCodes(member, factor, 10);
      const lockedAt = t.clock.now().getTime();
      const locked = await read();
      assert.equal(locked.locked, true);
      assert.deepEqual(locked.factors.map((f) => [f.id, f.locked, f.lockedUntil]),
        [[factor.factorId, true, new Date(lockedAt + 15 * MINUTE).toISOString()]]);
      // The page of members shows the same.
      const list = await call(t, 'GET', `/api/v1/members?technicianGroupId=${group}`, undefined, adminToken);
      assert.equal(list.statusCode, 200, list.body);
      const listed = (list.json() as { items: Array<{ id: string; twoStepVerification: { locked: boolean } }> }).items.find((m) => m.id === member.id);
      assert.equal(listed?.twoStepVerification.locked, true);

      // Some minutes later, still locked; the master administrator resets the member.
      t.clock.advance(5 * MINUTE);
      assert.equal((await read()).locked, true);
      const reset = await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id] }, org.masterToken);
      assert.equal(reset.statusCode, 200, reset.body);
      assert.deepEqual(reset.json(), { reset: 1 });
      const after = await read();
      assert.equal(after.locked, false);
      assert.deepEqual(after.factors, []);
      assert.equal(after.setUp, false);
      // The member is not locked out: they set two-step verification up again and use it.
      const again = await enrolTotp(t, member.email);
      await expectUnlocked(member, again);
      assert.equal((await read()).locked, false);
    });
  });
}
