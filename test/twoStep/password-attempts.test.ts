/**
 * Threat: guessing a member's password (docs/security.md S3; ASVS 6.3.1). Ten wrong passwords in any 15
 * minutes lock it, counted before each hash so that parallel guesses cannot all be tried: of any
 * number of attempts at once, exactly ten are checked and the rest refused as locked
 * (`password_locked`), even a right one. Wrong current passwords at `POST /api/v1/me/password` count in the same ten (a stolen session
 * cannot guess it), past them the change is refused with 429; a right one clears the count.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { PASSWORD_FAILURE_LIMIT } from '../../src/services/signIn/passwordAttempts.ts';
import { addMember, callFrom, codeCounts, expectProblem, organizationWith } from './_fixtures.ts';

const WRONG = 'Wrong-Horse-1';
const NEW_PASSWORD = 'Another-Horse-42';
const CONSOLE = { kind: 'technician-console', version: '7.100.0' };

for (const engine of engines()) {
  describe(`password attempts on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    // Each from its own address, so the per-address limit is not what stops them.
    let address = 0;
    const signIn = (email: string, password: string) =>
      callFrom(t, `203.0.113.${++address % 250}`, 'POST', '/api/v1/sign-in', { email, password, client: CONSOLE });
    const change = (token: string, currentPassword: string, newPassword = NEW_PASSWORD) =>
      call(t, 'POST', '/api/v1/me/password', { currentPassword, newPassword }, token);

    /** Why each refused sign-in of `memberId` was refused, from the audit trail. */
    async function refusalReasons(memberId: string): Promise<Record<string, number>> {
      const rows = await t.ctx.db.selectFrom('audit_events').select('details')
        .where('entity_id', '=', memberId).where('change_type', '=', 'SignInFailed').execute();
      const counts: Record<string, number> = {};
      for (const row of rows) {
        const reason = (JSON.parse(row.details ?? '{}') as { reason: string }).reason;
        counts[reason] = (counts[reason] ?? 0) + 1;
      }
      return counts;
    }

    test('thirty guesses at once, the right one last: exactly ten are checked, the rest refused as locked', async () => {
      const member = await addMember(t, await organizationWith(t));
      const answers = await Promise.all([
        ...Array.from({ length: 29 }, () => signIn(member.email, WRONG)),
        signIn(member.email, PASSWORD),
      ]);
      const succeeded = answers.filter((a) => a.statusCode === 200).length;
      assert.deepEqual(codeCounts(answers), {
        password_locked: 30 - PASSWORD_FAILURE_LIMIT,
        ...(succeeded ? { ok: succeeded } : {}),
        ...(PASSWORD_FAILURE_LIMIT - succeeded > 0 ? { invalid_credentials: PASSWORD_FAILURE_LIMIT - succeeded } : {}),
      });
      // Ten attempts had their password checked (the right one among them only if it came in time);
      // every other one was refused without regard to its password.
      const reasons = await refusalReasons(member.id);
      assert.equal((reasons.password ?? 0) + succeeded, PASSWORD_FAILURE_LIMIT, JSON.stringify(reasons));
      assert.equal(reasons.locked, 30 - PASSWORD_FAILURE_LIMIT, JSON.stringify(reasons));
      if (succeeded === 0) expectProblem(await signIn(member.email, PASSWORD), 429, 'password_locked');
    });

    test('the lock slides: wrong passwords on both sides of where a fixed window would start again get ten through, not twenty', async () => {
      const member = await addMember(t, await organizationWith(t));
      expectProblem(await signIn(member.email, WRONG), 401, 'invalid_credentials');
      t.clock.advance(15 * 60_000 - 1_000);
      await Promise.all(Array.from({ length: 9 }, () => signIn(member.email, WRONG)));
      // Fifteen minutes after the first: only that one has left the window, so one more is tried.
      t.clock.advance(1_000);
      await Promise.all(Array.from({ length: 10 }, () => signIn(member.email, WRONG)));
      assert.deepEqual(await refusalReasons(member.id), { password: 11, locked: 9 });
      // The nine of a second before leave together.
      t.clock.advance(15 * 60_000 - 1_001);
      await signIn(member.email, PASSWORD);
      assert.deepEqual(await refusalReasons(member.id), { password: 11, locked: 10 });
      t.clock.advance(1);
      assert.equal((await signIn(member.email, PASSWORD)).statusCode, 200);
    });

    test('right and wrong passwords at once from one address: each answered as it should, none fails', async () => {
      const member = await addMember(t, await organizationWith(t));
      const ip = '198.51.100.77';
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
        callFrom(t, ip, 'POST', '/api/v1/sign-in', { email: member.email, password: i % 2 === 0 ? PASSWORD : WRONG, client: CONSOLE })));
      assert.deepEqual(codeCounts(answers), { ok: 5, invalid_credentials: 5 });
    });

    test('wrong current passwords lock the password change too, also in parallel; the right one is then refused with 429', async () => {
      const member = await addMember(t, await organizationWith(t));
      const token = await tokenFor(t, member.email);
      const answers = await Promise.all(Array.from({ length: 20 }, () => change(token, WRONG)));
      assert.deepEqual(codeCounts(answers), { invalid_credentials: PASSWORD_FAILURE_LIMIT, password_locked: 20 - PASSWORD_FAILURE_LIMIT });

      const refused = await change(token, PASSWORD);
      expectProblem(refused, 429, 'password_locked');
      assert.ok(Number(refused.headers['retry-after']) > 0);
      // The same count locks signing in.
      expectProblem(await signIn(member.email, PASSWORD), 429, 'password_locked');

      t.clock.advance(15 * 60_000);
      const done = await change(token, PASSWORD);
      assert.equal(done.statusCode, 204, done.body);
      assert.equal((await signIn(member.email, NEW_PASSWORD)).statusCode, 200);
    });

    test('a right current password clears the count, so the new password is not locked by the old guesses', async () => {
      const member = await addMember(t, await organizationWith(t));
      const token = await tokenFor(t, member.email);
      for (let i = 0; i < PASSWORD_FAILURE_LIMIT - 1; i++) expectProblem(await change(token, WRONG), 401, 'invalid_credentials');
      const done = await change(token, PASSWORD);
      assert.equal(done.statusCode, 204, done.body);
      // Nine more wrong ones would have made nineteen without the clearing.
      for (let i = 0; i < PASSWORD_FAILURE_LIMIT - 1; i++) expectProblem(await signIn(member.email, WRONG), 401, 'invalid_credentials');
      assert.equal((await signIn(member.email, NEW_PASSWORD)).statusCode, 200);
    });
  });
}
