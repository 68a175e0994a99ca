/**
 * docs/security.md S19: the second factor holds on every route. A session issued on the password alone,
 * while the member did not have to use two-step verification, is held once they must (Global
 * Settings, a group's Enforce two-step verification): every protected route but GET /me, sign-out
 * and the start of a set-up with the password given again answers 403 `two_step_setup_required`, so
 * it cannot bind the first factor or act as an administrator. Having given the password again before
 * does not change that. A session that verified a factor is not affected.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { enrolTotp, signInExpecting } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, saveSettings } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`password-only sessions once two-step verification applies on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('Global Settings: the technician\'s password-only session ends; it cannot bind a factor; the next sign-in sets up', async () => {
      const org = await organizationWith(t);
      const technician = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, technician.email);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).statusCode, 200);

      await saveSettings(t, org.masterToken, { technicians: 'all' });
      expectProblem(await call(t, 'GET', '/api/v1/me/factors', undefined, token), 403, 'two_step_setup_required');
      expectProblem(await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, token), 403, 'two_step_setup_required');
      const factors = await t.ctx.db.selectFrom('factors').select('id').where('member_id', '=', technician.id).execute();
      assert.deepEqual(factors, []);
      // Held for good: switching the requirement off again does not bring it back.
      await saveSettings(t, org.masterToken, { technicians: 'none' });
      expectProblem(await call(t, 'GET', '/api/v1/me/factors', undefined, token), 403, 'two_step_setup_required');
      await saveSettings(t, org.masterToken, { technicians: 'all' });
      await signInExpecting(t, technician.email, 'setup');
    });

    test('a group\'s Enforce two-step verification ends its members\' password-only sessions, and only theirs', async () => {
      const org = await organizationWith(t, { technicians: 'selected_groups' });
      const enforcing = await addGroup(t, org, false);
      const other = await addGroup(t, org, false);
      const inGroup = await tokenFor(t, (await addMember(t, org, { technicianGroupId: enforcing })).email);
      const outside = await tokenFor(t, (await addMember(t, org, { technicianGroupId: other })).email);
      const set = await call(t, 'PATCH', `/api/v1/technician-groups/${enforcing}`, { enforceTwoStepVerification: true }, org.masterToken);
      assert.equal(set.statusCode, 200, set.body);
      expectProblem(await call(t, 'GET', '/api/v1/me/factors', undefined, inGroup), 403, 'two_step_setup_required');
      assert.equal((await call(t, 'GET', '/api/v1/me/factors', undefined, outside)).statusCode, 200);
    });

    test('an administrator\'s password-only session ends too, so it cannot change settings', async () => {
      const org = await organizationWith(t);
      const admin = await addMember(t, org, { role: 'administrator' });
      const token = await tokenFor(t, admin.email);
      await saveSettings(t, org.masterToken, { administrators: true });
      expectProblem(await call(t, 'GET', '/api/v1/members', undefined, token), 403, 'two_step_setup_required');
    });

    test('giving the password again does not make a password-only session one that verified a factor', async () => {
      const org = await organizationWith(t);
      const technician = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const admin = await addMember(t, org, { role: 'administrator' });
      const tokens = [await tokenFor(t, technician.email), await tokenFor(t, admin.email)];
      for (const token of tokens) {
        assert.equal((await call(t, 'POST', '/api/v1/me/reauthentication', { password: PASSWORD }, token)).statusCode, 200);
      }
      await saveSettings(t, org.masterToken, { technicians: 'all', administrators: true });
      expectProblem(await call(t, 'GET', '/api/v1/me/factors', undefined, tokens[0]), 403, 'two_step_setup_required');
      expectProblem(await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, tokens[0]), 403, 'two_step_setup_required');
      expectProblem(await call(t, 'GET', '/api/v1/members', undefined, tokens[1]), 403, 'two_step_setup_required');
    });

    test('a session that verified a factor goes on', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const technician = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const { token } = await enrolTotp(t, technician.email);
      await saveSettings(t, org.masterToken, { administrators: true });
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).statusCode, 200);
    });
  });
}
