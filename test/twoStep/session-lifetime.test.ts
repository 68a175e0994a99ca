/**
 * Rule: reauthentication. docs/security.md S23 (NIST §2.2.3): a session lives at most 24 hours overall
 * and ends after 1 hour idle; after that the member signs in again, second factor included.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { enrolTotp, signInExpecting } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith } from './_fixtures.ts';

const MINUTE = 60_000;

for (const engine of engines()) {
  describe(`session lifetime on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function session() {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      return { member, ...(await enrolTotp(t, member.email)) };
    }
    const me = (token: string) => call(t, 'GET', '/api/v1/me', undefined, token);

    test('an hour idle ends the session', async () => {
      const { token } = await session();
      t.clock.advance(60 * MINUTE - 31_000);
      assert.equal((await me(token)).statusCode, 200, 'used just before the hour is up');
      t.clock.advance(60 * MINUTE);
      expectProblem(await me(token), 401, 'unauthenticated');
    });

    test('a session in use ends 24 hours after the sign-in all the same', async () => {
      const { member, token } = await session();
      const signedInAt = t.clock.now().getTime() - 30_000;
      while (t.clock.now().getTime() + 50 * MINUTE < signedInAt + 24 * 60 * MINUTE) {
        t.clock.advance(50 * MINUTE);
        assert.equal((await me(token)).statusCode, 200);
      }
      t.clock.set(new Date(signedInAt + 24 * 60 * MINUTE));
      expectProblem(await me(token), 401, 'unauthenticated');
      // Signing in again asks for the second factor again.
      await signInExpecting(t, member.email, 'verify');
    });
  });
}
