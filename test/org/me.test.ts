/**
 * `GET /api/v1/me`: the signed-in member as the website and the console show them. Its answer is
 * serialized through its documented schema, so this checks the two agree: every field there, and a
 * technician's role `null` rather than coerced to a string.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { addGroup, addMember, organizationWith } from '../twoStep/_fixtures.ts';

for (const engine of engines()) {
  describe(`GET /api/v1/me on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('a technician and the Master Account Holder, every field', async () => {
      const org = await organizationWith(t, {}, 'Me Support');
      const group = await addGroup(t, org);
      const technician = await addMember(t, org, { technicianGroupId: group });

      const mine = (await call(t, 'GET', '/api/v1/me', undefined, await tokenFor(t, technician.email))).json() as Record<string, unknown>;
      assert.deepEqual(mine, {
        id: technician.id, name: mine.name, email: technician.email, role: null, technicianGroupId: group,
        masterAccountHolder: false, organization: { id: org.organizationId, name: 'Me Support' },
        password: { mustChange: false, expiresAt: null, expiryNoticeDue: false, minimumStrength: 'good' },
        twoStepVerification: { required: false, setUp: false, mustSetUpAgain: false, factors: [], locked: false },
        allowedMethods: ['totp', 'sms', 'email'],
        language: null,
      });
      assert.equal(typeof mine.name, 'string');

      const master = (await call(t, 'GET', '/api/v1/me', undefined, org.masterToken)).json() as Record<string, unknown>;
      assert.equal(master.role, 'master_administrator');
      assert.equal(master.masterAccountHolder, true);
      assert.equal(master.technicianGroupId, null);

      // The policy a new password must meet, as the website's strength meter shows it.
      const policy = { minimumStrength: 'excellent', maximumAgeDays: 0, expiryNoticeDays: 14, adminChangeForcesChange: false };
      assert.equal((await call(t, 'PUT', '/api/v1/settings/password-policy', policy, org.masterToken)).statusCode, 200);
      const after = (await call(t, 'GET', '/api/v1/me', undefined, await tokenFor(t, technician.email))).json() as { password: { minimumStrength: string } };
      assert.equal(after.password.minimumStrength, 'excellent');
    });
  });
}
