/**
 * Locks an administrator can see and end. Ten wrong passwords lock a member's password: the right one
 * is then refused with `password_locked` (429, Retry-After), which tells no account apart, since an
 * unknown email locks after as many wrong passwords and answers alike. The member's record shows the
 * password lock and each factor lock with when it ends, and whoever may reset the member's two-step
 * verification may unlock either before its time (`POST /api/v1/members/{id}/unlock`), audited with
 * the locks before and after; the factors stay set up.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, tokenFor, uniqueEmail, type TestApp } from '../support/harness.ts';
import { enrolTotp, signInExpecting, totpNow, verify, wrongTotp, type EnrolledTotp } from './_factors.ts';
import { addGroup, addMember, assignGroup, callFrom, expectProblem, organizationWith, type MemberFixture, type OrgWithAdmin } from './_fixtures.ts';
import { holdRowLocks, lockWaiters } from '../support/postgres.ts';

const WRONG = 'Wrong-Horse-1';
const MINUTE = 60_000;
const CONSOLE = { kind: 'technician-console', version: '7.100.0' };

interface MemberBody {
  passwordLock: { lockedUntil: string } | null;
  twoStepVerification: { setUp: boolean; locked: boolean; factors: Array<{ id: string; locked: boolean; lockedUntil: string | null }> };
}

for (const engine of engines()) {
  describe(`member locks on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    // Each from its own address, so the per-address limit is not what stops them.
    let address = 0;
    const signIn = (email: string, password: string) =>
      callFrom(t, `192.0.2.${++address % 250}`, 'POST', '/api/v1/sign-in', { email, password, client: CONSOLE });
    const unlock = (memberId: string, token: string, what: unknown) => call(t, 'POST', `/api/v1/members/${memberId}/unlock`, { what }, token);
    const record = async (memberId: string, token: string): Promise<MemberBody> => {
      const response = await call(t, 'GET', `/api/v1/members/${memberId}`, undefined, token);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as MemberBody;
    };
    const unlockEvents = async (memberId: string) => (await t.ctx.db.selectFrom('audit_events').select(['actor_id', 'details'])
      .where('entity_id', '=', memberId).where('change_type', '=', 'Unlock').orderBy('at').orderBy('id').execute())
      .map((row): Record<string, unknown> => ({ actorId: row.actor_id, ...JSON.parse(row.details ?? '{}') as Record<string, unknown> }));

    /** A technician who must use two-step verification (their group enforces it), with an authenticator app; their administrator; and others. */
    async function world() {
      const org: OrgWithAdmin = await organizationWith(t, { technicians: 'selected_groups' });
      const group = await addGroup(t, org, true);
      const otherGroup = await addGroup(t, org);
      const member = await addMember(t, org, { technicianGroupId: group });
      const factor = await enrolTotp(t, member.email);
      const administrator = await addMember(t, org, { role: 'administrator' });
      await assignGroup(t, administrator.id, group);
      const unrelated = await addMember(t, org, { role: 'administrator' });
      await assignGroup(t, unrelated.id, otherGroup);
      const technician = await addMember(t, org, { technicianGroupId: otherGroup });
      return {
        org, member, factor,
        administrator: { ...administrator, token: await tokenFor(t, administrator.email) },
        unrelated: { ...unrelated, token: await tokenFor(t, unrelated.email) },
        technician: { ...technician, token: await tokenFor(t, technician.email) },
      };
    }

    async function wrongCodes(member: MemberFixture, factor: EnrolledTotp, count: number): Promise<void> {
      let tx = await signInExpecting(t, member.email, 'verify');
      for (let i = 0; i < count; i++) {
        if (i > 0 && i % 5 === 0) tx = await signInExpecting(t, member.email, 'verify');
        assert.ok([400, 410].includes((await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i))).statusCode));
      }
    }

    async function verifiesWith(member: MemberFixture, factor: EnrolledTotp): Promise<number> {
      const tx = await signInExpecting(t, member.email, 'verify');
      const response = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
      t.clock.advance(30_000);
      return response.statusCode;
    }

    test('ten wrong passwords: the right one is refused with password_locked, an unknown email answers alike, the record shows the end', async () => {
      const { member, administrator } = await world();
      const start = t.clock.now().getTime();
      for (let i = 0; i < 10; i++) expectProblem(await signIn(member.email, WRONG), 401, 'invalid_credentials');
      const locked = await signIn(member.email, PASSWORD);
      const lockedBody = expectProblem(locked, 429, 'password_locked');
      assert.equal(locked.headers['retry-after'], '900');
      assert.equal(lockedBody.retryAfterSeconds, 900);
      assert.deepEqual((await record(member.id, administrator.token)).passwordLock, { lockedUntil: new Date(start + 15 * MINUTE).toISOString() });

      // An email nobody has: the same answers after the same number of wrong passwords.
      const nobody = uniqueEmail('nobody');
      for (let i = 0; i < 10; i++) expectProblem(await signIn(nobody, WRONG), 401, 'invalid_credentials');
      const unknown = await signIn(nobody, PASSWORD);
      const unknownBody = expectProblem(unknown, 429, 'password_locked');
      assert.equal(unknown.headers['retry-after'], '900');
      assert.deepEqual(Object.keys(unknownBody).sort(), Object.keys(lockedBody).sort());
      assert.equal(unknownBody.title, lockedBody.title);

      t.clock.advance(15 * MINUTE);
      assert.equal((await record(member.id, administrator.token)).passwordLock, null);
      assert.equal((await signIn(member.email, PASSWORD)).statusCode, 200);
    });

    test('an assigned administrator unlocks the password, then the factors: audited before and after, the factor stays set up', async () => {
      const { member, factor, administrator } = await world();
      await wrongCodes(member, factor, 10);
      const factorLockEnd = new Date(t.clock.now().getTime() + 15 * MINUTE).toISOString();
      for (let i = 0; i < 10; i++) await signIn(member.email, WRONG);
      const passwordLockEnd = new Date(t.clock.now().getTime() + 15 * MINUTE).toISOString();

      const seen = await record(member.id, administrator.token);
      assert.deepEqual(seen.passwordLock, { lockedUntil: passwordLockEnd });
      assert.equal(seen.twoStepVerification.locked, true);
      assert.deepEqual(seen.twoStepVerification.factors.map((f) => [f.id, f.locked, f.lockedUntil]), [[factor.factorId, true, factorLockEnd]]);

      const password = await unlock(member.id, administrator.token, 'password');
      assert.equal(password.statusCode, 200, password.body);
      const afterPassword = password.json() as MemberBody;
      assert.equal(afterPassword.passwordLock, null);
      assert.equal(afterPassword.twoStepVerification.locked, true, 'only what was asked');
      expectProblem(await signIn(member.email, WRONG), 401, 'invalid_credentials');

      const factors = await unlock(member.id, administrator.token, 'factors');
      assert.equal(factors.statusCode, 200, factors.body);
      const afterFactors = factors.json() as MemberBody;
      assert.equal(afterFactors.twoStepVerification.setUp, true);
      assert.deepEqual(afterFactors.twoStepVerification.factors.map((f) => [f.id, f.locked, f.lockedUntil]), [[factor.factorId, false, null]]);
      assert.equal(await verifiesWith(member, factor), 200);
      // The failures went with the lock: one wrong code does not lock it again.
      await wrongCodes(member, factor, 1);
      assert.equal(await verifiesWith(member, factor), 200);

      assert.deepEqual(await unlockEvents(member.id), [
        {
          actorId: administrator.id, what: 'password',
          before: { passwordLockedUntil: passwordLockEnd, recoveryLockedUntil: null, pushLocked: false, factors: [{ id: factor.factorId, type: 'totp', lockedUntil: factorLockEnd }] },
          after: { passwordLockedUntil: null, recoveryLockedUntil: null, pushLocked: false, factors: [{ id: factor.factorId, type: 'totp', lockedUntil: factorLockEnd }] },
        },
        {
          actorId: administrator.id, what: 'factors',
          before: { passwordLockedUntil: null, recoveryLockedUntil: null, pushLocked: false, factors: [{ id: factor.factorId, type: 'totp', lockedUntil: factorLockEnd }] },
          after: { passwordLockedUntil: null, recoveryLockedUntil: null, pushLocked: false, factors: [] },
        },
      ]);
    });

    test('a factor locked until an administrator acts is unlocked without a reset', async () => {
      const { org, member, factor } = await world();
      await t.ctx.db.updateTable('factors').set({ failures: 100, locked_until_reset: 1 }).where('id', '=', factor.factorId).execute();
      const seen = await record(member.id, org.masterToken);
      assert.deepEqual(seen.twoStepVerification.factors.map((f) => [f.locked, f.lockedUntil]), [[true, null]]);
      expectProblem(await verify(t, (await signInExpecting(t, member.email, 'verify')).id, factor.factorId, totpNow(t, factor.seed)), 423, 'factor_locked');

      const done = await unlock(member.id, org.masterToken, 'all');
      assert.equal(done.statusCode, 200, done.body);
      assert.equal((done.json() as MemberBody).twoStepVerification.locked, false);
      assert.equal(await verifiesWith(member, factor), 200);
      const [event] = await unlockEvents(member.id);
      assert.deepEqual(event?.before, { passwordLockedUntil: null, recoveryLockedUntil: null, pushLocked: false, factors: [{ id: factor.factorId, type: 'totp', lockedUntil: 'reset' }] });
    });

    test('who may unlock: whoever may reset the member; nobody else, and a refusal changes nothing', async () => {
      const { org, member, factor, administrator, unrelated, technician } = await world();
      await wrongCodes(member, factor, 10);
      for (let i = 0; i < 10; i++) await signIn(member.email, WRONG);

      // Members the caller may not see are not found; one they see but may not reset is forbidden.
      expectProblem(await unlock(member.id, technician.token, 'all'), 404, 'not_found');
      expectProblem(await unlock(member.id, unrelated.token, 'all'), 404, 'not_found');
      expectProblem(await unlock(technician.id, technician.token, 'all'), 403, 'forbidden');
      expectProblem(await unlock(administrator.id, administrator.token, 'all'), 403, 'forbidden');
      expectProblem(await unlock(administrator.id, unrelated.token, 'all'), 404, 'not_found');
      const unchanged = await record(member.id, org.masterToken);
      assert.notEqual(unchanged.passwordLock, null);
      assert.equal(unchanged.twoStepVerification.locked, true);
      assert.deepEqual(await unlockEvents(member.id), []);

      // A master administrator may, as the assigned administrator may (previous test).
      assert.equal((await unlock(member.id, org.masterToken, 'all')).statusCode, 200);
      assert.equal((await unlockEvents(member.id)).length, 1);
      // And a master administrator unlocks an administrator too.
      assert.equal((await unlock(administrator.id, org.masterToken, 'password')).statusCode, 200);
    });

    if (engine === 'postgres') {
      test('the right to unlock is judged again under the member\'s lock: moved out of the caller\'s groups meanwhile, not unlocked', async () => {
        const { member, administrator, technician } = await world();
        for (let i = 0; i < 10; i++) await signIn(member.email, WRONG);
        const otherGroup = (await t.ctx.db.selectFrom('members').select('technician_group_id').where('id', '=', technician.id).executeTakeFirstOrThrow()).technician_group_id;
        // A change not yet committed holds the member's row: the unlock passes its first look, then waits.
        const move = await holdRowLocks(t.ctx.db, async (trx) => {
          await trx.selectFrom('members').select('id').where('id', '=', member.id).forUpdate().execute();
          await trx.updateTable('members').set({ technician_group_id: otherGroup }).where('id', '=', member.id).execute();
        });
        let unlocked: ReturnType<typeof unlock>;
        try {
          unlocked = unlock(member.id, administrator.token, 'all');
          await lockWaiters(t.ctx.db, 1);
        } finally {
          await move.release();
        }
        expectProblem(await unlocked, 404, 'not_found');
        assert.deepEqual(await unlockEvents(member.id), []);
        expectProblem((await signIn(member.email, PASSWORD)), 429, 'password_locked');
      });
    }

    test('the body says what to unlock', async () => {
      const { member, administrator } = await world();
      for (const body of [{}, { what: 'everything' }, { what: 'all', extra: true }]) {
        expectProblem(await call(t, 'POST', `/api/v1/members/${member.id}/unlock`, body, administrator.token), 400, 'validation_failed');
      }
      expectProblem(await call(t, 'POST', '/api/v1/members/00000000-0000-7000-8000-000000000000/unlock', { what: 'all' }, administrator.token), 404, 'not_found');
    });
  });
}
