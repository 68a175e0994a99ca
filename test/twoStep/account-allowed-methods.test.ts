/**
 * Adding a method from the account offers and accepts only what the organization allows: `GET
 * /api/v1/me` lists the methods the member may add (Global Settings' allowed methods, the primary
 * first), and `POST /api/v1/me/factors` refuses any other with `method_not_allowed`, naming those.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { enrolTotp, newPhone } from './_factors.ts';
import { expectProblem, requiredTechnician, saveSettings } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`the methods a member may add from the account on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('a method switched off in Global Settings is neither listed nor accepted; an allowed one is both', async () => {
      const { org, member } = await requiredTechnician(t);
      const factor = await enrolTotp(t, member.email);
      const me = async () => (await call(t, 'GET', '/api/v1/me', undefined, factor.token)).json() as { allowedMethods: string[] };
      assert.deepEqual((await me()).allowedMethods, ['totp', 'sms', 'email']);

      await saveSettings(t, org.masterToken, { technicians: 'all', allowedMethods: ['totp', 'email'] });
      assert.deepEqual((await me()).allowedMethods, ['totp', 'email'], 'SMS gone');

      const refused = expectProblem(
        await call(t, 'POST', '/api/v1/me/factors', { type: 'sms', phoneNumber: newPhone() }, factor.token), 400, 'method_not_allowed');
      assert.deepEqual(refused.allowedMethods, ['totp', 'email']);
      const added = await call(t, 'POST', '/api/v1/me/factors', { type: 'email', email: `backup-${member.email}` }, factor.token);
      assert.equal(added.statusCode, 201, added.body);
    });
  });
}
