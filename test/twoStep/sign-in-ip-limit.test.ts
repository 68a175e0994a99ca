/**
 * Threat: password spraying, one password tried on many members from one address, which the
 * per-member lock does not see, each try costing an argon2id hash. At most 100 failed sign-ins per
 * client IP in 15 minutes (an IPv6 client's /64), across emails; a right password does not count; past
 * the limit the answer is 429 `rate_limited` with Retry-After, before any hash, and the refusal counts
 * nothing.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, createTestApp, engines, uniqueEmail, type TestApp } from '../support/harness.ts';
import { SIGN_IN_FAILURES_PER_IP } from '../../src/services/signIn/passwordAttempts.ts';
import { addMember, callFrom, codeCounts, expectProblem, organizationWith } from './_fixtures.ts';

const CONSOLE = { kind: 'technician-console', version: '7.100.0' };

for (const engine of engines()) {
  describe(`failed sign-ins per client IP on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const signInFrom = (ip: string, email: string, password: string) =>
      callFrom(t, ip, 'POST', '/api/v1/sign-in', { email, password, client: CONSOLE });

    /**
     * `count` failed sign-ins from `ip`, half on unknown emails and half with a member's wrong password
     * (refused as wrong, or as locked once that member had ten: both are failed sign-ins of the address).
     */
    async function fail(ip: string, count: number, memberEmails: readonly string[]): Promise<void> {
      for (let i = 0; i < count; i++) {
        const email = i % 2 === 0 ? uniqueEmail('sprayed') : memberEmails[i % memberEmails.length]!;
        const answer = await signInFrom(ip, email, 'Spring-2026!');
        if (answer.statusCode === 429) expectProblem(answer, 429, 'password_locked');
        else expectProblem(answer, 401, 'invalid_credentials');
      }
    }

    test('the limit counts failures across emails; right passwords do not count; another address is not affected', async () => {
      const org = await organizationWith(t);
      // Nobody is required to use two-step verification here, so a right password completes at once.
      const members = await Promise.all(Array.from({ length: 12 }, () => addMember(t, org)));
      const emails = members.map((m) => m.email);
      const ip = '198.51.100.21';

      await fail(ip, SIGN_IN_FAILURES_PER_IP - 1, emails.slice(0, 8));
      // Right passwords from the same address go through and give their count back.
      for (const member of members.slice(8)) {
        const ok = await signInFrom(ip, member.email, PASSWORD);
        assert.equal(ok.statusCode, 200, ok.body);
        assert.equal((ok.json() as { state: string }).state, 'complete');
      }
      await fail(ip, 1, emails.slice(0, 8));

      // The limit is reached: even the right password is refused, before its hash, with when to retry.
      const refused = await signInFrom(ip, members[11]!.email, PASSWORD);
      const problem = expectProblem(refused, 429, 'rate_limited');
      assert.match(String(problem.title), /Too many failed sign-ins/);
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `retry-after ${refused.headers['retry-after']}`);

      // Another address is not affected.
      const elsewhere = await signInFrom('198.51.100.22', members[11]!.email, PASSWORD);
      assert.equal(elsewhere.statusCode, 200, elsewhere.body);

      // Refusals counted nothing: when the window ends the address starts again from zero.
      t.clock.advance(15 * 60_000);
      const again = await signInFrom(ip, members[11]!.email, PASSWORD);
      assert.equal(again.statusCode, 200, again.body);
    });

    test('parallel wrong passwords at the limit: exactly the attempts left are tried, the rest refused', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org);
      const ip = '198.51.100.30';
      const left = 5;
      await fail(ip, SIGN_IN_FAILURES_PER_IP - left, [member.email]);

      const answers = await Promise.all(Array.from({ length: 20 }, () => signInFrom(ip, uniqueEmail('parallel'), 'Spring-2026!')));
      assert.deepEqual(codeCounts(answers), { invalid_credentials: left, rate_limited: 20 - left });
      expectProblem(await signInFrom(ip, member.email, PASSWORD), 429, 'rate_limited');
    });

    test('the limit slides: failures on both sides of where a fixed window would start again get no more than the limit through', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org);
      const ip = '198.51.100.40';
      await fail(ip, 1, [member.email]);
      t.clock.advance(15 * 60_000 - 1_000);
      await fail(ip, SIGN_IN_FAILURES_PER_IP - 1, [member.email]);
      // Fifteen minutes after the first failure only that one has left the window.
      t.clock.advance(1_000);
      const answers = await Promise.all(Array.from({ length: 20 }, () => signInFrom(ip, uniqueEmail('edge'), 'Spring-2026!')));
      assert.deepEqual(codeCounts(answers), { invalid_credentials: 1, rate_limited: 19 });
      const refused = expectProblem(await signInFrom(ip, member.email, PASSWORD), 429, 'rate_limited');
      assert.equal(refused.retryAfterSeconds, 15 * 60 - 1);
    });

    test('IPv6 addresses count per /64: a client cannot spread its tries over its own network', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org);
      // Every failure from another address of the same /64.
      for (let i = 0; i < SIGN_IN_FAILURES_PER_IP; i++) {
        expectProblem(await signInFrom(`2001:db8:7:1::${(i + 1).toString(16)}`, uniqueEmail('sprayed'), 'Spring-2026!'), 401, 'invalid_credentials');
      }
      expectProblem(await signInFrom('2001:db8:7:1:ffff::9', member.email, PASSWORD), 429, 'rate_limited');
      const nextNetwork = await signInFrom('2001:db8:7:2::1', member.email, PASSWORD);
      assert.equal(nextNetwork.statusCode, 200, nextNetwork.body);
    });
  });
}
