/**
 * docs/security.md S27 and S29: a password change waiting for its second factor belongs to the session it was
 * asked from and to the password it was asked with. Once that session has ended (signed out) it cannot
 * complete; once an administrator has set a new password it has ended; and a completed change ends the
 * member's other sign-ins and changes under way, which were started with the old password.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { enrolTotp, signInExpecting, totpNow, verify } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith } from './_fixtures.ts';

const NEW_PASSWORD = 'Another-Horse-42';
const ADMIN_PASSWORD = 'Admin-Chosen-Horse-7';

for (const engine of engines()) {
  describe(`a password change is bound to its session and password on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const signInStatus = async (email: string, password: string) =>
      (await call(t, 'POST', '/api/v1/sign-in', { email, password, client: { kind: 'technician-console' } })).statusCode;

    async function pendingChange() {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const factor = await enrolTotp(t, member.email);
      const started = await call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, factor.token);
      assert.equal(started.statusCode, 202, started.body);
      const tx = started.json() as TransactionBody;
      assert.equal(tx.state, 'verify');
      // The next time step: the enrolment used this one.
      t.clock.advance(30_000);
      return { org, member, factor, tx };
    }

    test('signed out before the code: the change cannot complete and the password stays', async () => {
      const { member, factor, tx } = await pendingChange();
      assert.equal((await call(t, 'POST', '/api/v1/sign-out', undefined, factor.token)).statusCode, 204);
      expectProblem(await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed)), 401, 'unauthenticated');
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 401);
      assert.equal(await signInStatus(member.email, PASSWORD), 200);
    });

    test('an administrator sets a new password meanwhile: the pending change has ended, the administrator\'s password holds', async () => {
      const { org, member, factor, tx } = await pendingChange();
      const set = await call(t, 'PATCH', `/api/v1/members/${member.id}`, { password: ADMIN_PASSWORD }, org.masterToken);
      assert.equal(set.statusCode, 200, set.body);
      expectProblem(await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed)), 410, 'transaction_expired');
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 401);
      assert.equal(await signInStatus(member.email, ADMIN_PASSWORD), 200);
    });

    test('a completed change ends the sign-ins under way that were started with the old password', async () => {
      const { member, factor, tx } = await pendingChange();
      const oldSignIn = await signInExpecting(t, member.email, 'verify');
      const done = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().state, 'complete');
      t.clock.advance(30_000);
      expectProblem(await verify(t, oldSignIn.id, factor.factorId, totpNow(t, factor.seed)), 410, 'transaction_expired');
      assert.equal(await signInStatus(member.email, NEW_PASSWORD), 200);
    });
  });
}
