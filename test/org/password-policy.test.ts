// Threat: passwords weaker than the organization asked for getting in — through an administrator
// setting one, an invitation, or an import — and policy changes nobody can trace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createOrgTestApp, engines, invitationToken, uniqueEmail, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

const EXCELLENT = 'Xy7-Pq2!Lm';
const problem = (body: string) => (({ code, rule }) => ({ code, rule }))(JSON.parse(body) as { code: string; rule: string });

for (const engine of engines()) {
  describe(`the password policy on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
    });
    after(async () => t?.close());

    test('master administrators read and save it, and the change is audited with before and after', async () => {
      const defaults = await w.asMah('GET', '/api/v1/settings/password-policy');
      assert.deepEqual(defaults, { minimumStrength: 'good', maximumAgeDays: 0, expiryNoticeDays: 14, adminChangeForcesChange: false });
      const next = { minimumStrength: 'excellent', maximumAgeDays: 90, expiryNoticeDays: 7, adminChangeForcesChange: true };
      assert.deepEqual(await w.asMah('PUT', '/api/v1/settings/password-policy', next), next);
      assert.deepEqual((await call(t, 'GET', '/api/v1/settings/password-policy', undefined, w.master.token)).json(), next);
      const event = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_type', '=', 'settings').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(event.details!), { before: defaults, after: next });
    });

    test('a password below the minimum strength is refused, naming the rule', async () => {
      const add = (password: string) => call(t, 'POST', '/api/v1/members', { name: 'P', email: uniqueEmail('pw'), technicianGroupId: w.groups.B, password }, w.mah.token);
      assert.deepEqual(problem((await add('Abcdefg1')).body), { code: 'password_too_weak', rule: 'character_kinds' });
      assert.deepEqual(problem((await add('Correct-Horse-9')).body), { code: 'password_too_weak', rule: 'repeated_characters' });
      assert.deepEqual(problem((await add('Ab1-')).body), { code: 'password_too_weak', rule: 'minimum_length' });
      const set = await call(t, 'PATCH', `/api/v1/members/${w.techB.id}`, { password: 'Abcdefg1' }, w.mah.token);
      assert.deepEqual(problem(set.body), { code: 'password_too_weak', rule: 'character_kinds' });
    });

    test('a password an administrator sets must be changed at the next sign-in', async () => {
      const created = await call(t, 'POST', '/api/v1/members', { name: 'P', email: uniqueEmail('pw'), technicianGroupId: w.groups.B, password: EXCELLENT }, w.mah.token);
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json<{ mustChangePassword: boolean }>().mustChangePassword, true);
      const reset = await call(t, 'PATCH', `/api/v1/members/${w.techB.id}`, { password: EXCELLENT }, w.adminA.token);
      assert.equal(reset.statusCode, 404, 'techB is outside adminA\'s groups');
      const byMaster = await call(t, 'PATCH', `/api/v1/members/${w.techB.id}`, { password: EXCELLENT }, w.master.token);
      assert.equal(byMaster.json<{ mustChangePassword: boolean }>().mustChangePassword, true);
      // The member is told, and their sessions end: whoever had the old password is out.
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, w.techB.token)).statusCode, 401);
      assert.ok(t.outbox.some((m) => m.to === w.techB.email.toLowerCase() && /password was changed/.test(m.subject)));
    });

    test('an invitation is held to the policy too, and a refused password leaves it usable', async () => {
      const email = uniqueEmail('inv');
      await w.asMah('POST', '/api/v1/members', { name: 'I', email, technicianGroupId: w.groups.B });
      const token = invitationToken(t, email);
      const weak = await call(t, 'POST', `/api/v1/invitations/${token}/accept`, { password: 'Abcdefg1' });
      assert.deepEqual(problem(weak.body), { code: 'password_too_weak', rule: 'character_kinds' });
      assert.equal((await call(t, 'POST', `/api/v1/invitations/${token}/accept`, { password: EXCELLENT })).statusCode, 204);
    });
  });
}
