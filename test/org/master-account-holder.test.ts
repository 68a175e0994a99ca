// Threat: the organization losing its owner — the Master Account Holder disabled, demoted or taken
// over by another master administrator — or the role being seized by anyone but the holder.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createOrgTestApp, engines, PASSWORD, tokenFor, uniqueEmail, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

const code = (body: string): string => (JSON.parse(body) as { code: string }).code;

for (const engine of engines()) {
  describe(`the Master Account Holder on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
    });
    after(async () => t?.close());

    test('no one disables, demotes or takes over the holder\'s account', async () => {
      for (const body of [{ enabled: false }, { role: 'administrator' }, { email: 'new-owner@example.test' }, { password: 'Take-0ver-Now' }, { name: 'Mallory' }]) {
        const response = await call(t, 'PATCH', `/api/v1/members/${w.mah.id}`, body, w.master.token);
        assert.equal(response.statusCode, 409, JSON.stringify(body));
        assert.equal(code(response.body), 'master_account_holder_protected');
      }
      const demoteSelf = await call(t, 'PATCH', `/api/v1/members/${w.mah.id}`, { role: 'administrator' }, w.mah.token);
      assert.equal(code(demoteSelf.body), 'master_account_holder_protected');
      const member = (await call(t, 'GET', `/api/v1/members/${w.mah.id}`, undefined, w.mah.token)).json<{ role: string; enabled: boolean; masterAccountHolder: boolean }>();
      assert.deepEqual([member.role, member.enabled, member.masterAccountHolder], ['master_administrator', true, true]);
    });

    test('only the holder hands the role on, and only to an enabled master administrator', async () => {
      const byOther = await call(t, 'POST', '/api/v1/organization/master-account-holder', { memberId: w.master.id }, w.master.token);
      assert.equal(byOther.statusCode, 403);
      const toAdmin = await call(t, 'POST', '/api/v1/organization/master-account-holder', { memberId: w.adminA.id }, w.mah.token);
      assert.equal(code(toAdmin.body), 'conflict');

      const handed = await call(t, 'POST', '/api/v1/organization/master-account-holder', { memberId: w.master.id }, w.mah.token);
      assert.equal(handed.statusCode, 200, handed.body);
      assert.equal(handed.json<{ masterAccountHolderId: string }>().masterAccountHolderId, w.master.id);
      assert.equal((await call(t, 'GET', '/api/v1/organization', undefined, w.tech.token)).json<{ masterAccountHolderId: string }>().masterAccountHolderId, w.master.id);

      // The former holder is an ordinary master administrator now; the new holder is protected.
      const demoted = await call(t, 'PATCH', `/api/v1/members/${w.mah.id}`, { role: 'administrator' }, w.master.token);
      assert.equal(demoted.statusCode, 200, demoted.body);
      const hidden = await call(t, 'PATCH', `/api/v1/members/${w.master.id}`, { enabled: false }, w.mah.token);
      assert.equal(hidden.statusCode, 404, 'an administrator does not see master administrators');
      const third = await call(t, 'POST', '/api/v1/members', { name: 'Third', email: uniqueEmail('third'), password: PASSWORD, role: 'master_administrator' }, w.master.token);
      const thirdToken = await tokenFor(t, third.json<{ email: string }>().email);
      const protectedNow = await call(t, 'PATCH', `/api/v1/members/${w.master.id}`, { enabled: false }, thirdToken);
      assert.equal(code(protectedNow.body), 'master_account_holder_protected');
      const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_type', '=', 'organization').where('change_type', '=', 'Change').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(audit.details!), { before: { masterAccountHolderId: w.mah.id }, after: { masterAccountHolderId: w.master.id } });
    });
  });
}
