// Threat: an invitation link that keeps working after an administrator sent a new one or withdrew
// it, or an administrator who sees or re-invites members outside their groups. Administrators list
// the members still invited (pending, expired, withdrawn), send a new link (the older ones stop
// working) and withdraw the open one; each is audited, and a member with a password needs none.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createOrgTestApp, engines, invitationToken, PASSWORD, uniqueEmail, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

interface Invited { memberId: string; email: string; state: string; sentAt: string | null; expiresAt: string | null }

for (const engine of engines()) {
  describe(`managing invitations on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
    });
    after(async () => t?.close());

    const invite = async (groupId = w.groups.A1) => {
      const email = uniqueEmail('invited');
      const created = await w.asMah('POST', '/api/v1/members', { name: 'Ivy', email, technicianGroupId: groupId });
      return { email, id: created.id as string, token: invitationToken(t, email) };
    };
    const list = async (token = w.mah.token): Promise<Invited[]> => {
      const response = await call(t, 'GET', '/api/v1/invitations?limit=200', undefined, token);
      assert.equal(response.statusCode, 200, response.body);
      return response.json<{ items: Invited[] }>().items;
    };
    const linkWorks = async (token: string) => (await call(t, 'GET', `/api/v1/invitations/${token}`)).statusCode === 200;
    const events = async (memberId: string) => (await t.ctx.db.selectFrom('audit_events').select('details')
      .where('entity_id', '=', memberId).where('change_type', '=', 'Change').orderBy('at').orderBy('id').execute()).map((e) => (JSON.parse(e.details ?? '{}') as { invitation?: string }).invitation);

    test('pending, then sent again (the old link stops working), then withdrawn; each audited', async () => {
      const member = await invite();
      const first = (await list()).find((i) => i.memberId === member.id);
      assert.equal(first?.state, 'pending');
      assert.ok(first?.sentAt && first.expiresAt);

      const resent = await call(t, 'POST', `/api/v1/members/${member.id}/invitation`, undefined, w.mah.token);
      assert.equal(resent.statusCode, 201, resent.body);
      assert.equal(resent.json<{ sent: boolean }>().sent, true);
      const newToken = invitationToken(t, member.email);
      assert.notEqual(newToken, member.token);
      assert.equal(await linkWorks(member.token), false, 'the older link stops working');
      assert.equal(await linkWorks(newToken), true);

      const withdrawn = await call(t, 'DELETE', `/api/v1/members/${member.id}/invitation`, undefined, w.mah.token);
      assert.equal(withdrawn.statusCode, 204, withdrawn.body);
      assert.equal(await linkWorks(newToken), false);
      assert.equal((await list()).find((i) => i.memberId === member.id)?.state, 'withdrawn');
      assert.deepEqual(await events(member.id), ['sent', 'withdrawn']);

      // Sent again after a withdrawal, the member can accept and leaves the list.
      assert.equal((await call(t, 'POST', `/api/v1/members/${member.id}/invitation`, undefined, w.mah.token)).statusCode, 201);
      const accepted = await call(t, 'POST', `/api/v1/invitations/${invitationToken(t, member.email)}/accept`, { password: PASSWORD });
      assert.equal(accepted.statusCode, 204, accepted.body);
      assert.equal((await list()).some((i) => i.memberId === member.id), false);
      const again = await call(t, 'POST', `/api/v1/members/${member.id}/invitation`, undefined, w.mah.token);
      assert.equal(again.statusCode, 409);
      assert.equal(again.json<{ code: string }>().code, 'conflict');
    });

    test('two new invitations sent at once leave exactly one open link', async () => {
      const member = await invite();
      const responses = await Promise.all([1, 2, 3].map(() => call(t, 'POST', `/api/v1/members/${member.id}/invitation`, undefined, w.mah.token)));
      assert.deepEqual(responses.map((r) => r.statusCode), [201, 201, 201]);
      const open = await t.ctx.db.selectFrom('invitations').select('id').where('member_id', '=', member.id).where('used_at', 'is', null).execute();
      assert.equal(open.length, 1);
    });

    test('within reach only: a technician is refused, an administrator sees and re-invites only their groups\' members', async () => {
      const inA1 = await invite(w.groups.A1);
      const inB = await invite(w.groups.B);
      const forTech = await call(t, 'GET', '/api/v1/invitations', undefined, w.tech.token);
      assert.equal(forTech.statusCode, 403);
      assert.equal(forTech.json<{ code: string }>().code, 'forbidden');
      const seen = (await list(w.adminA.token)).map((i) => i.memberId);
      assert.ok(seen.includes(inA1.id));
      assert.ok(!seen.includes(inB.id));
      const foreign = await call(t, 'POST', `/api/v1/members/${inB.id}/invitation`, undefined, w.adminA.token);
      assert.equal(foreign.statusCode, 404);
      assert.equal(foreign.json<{ code: string }>().code, 'not_found');
      assert.equal(await linkWorks(inB.token), true, 'the refused request changed nothing');
      assert.equal((await call(t, 'DELETE', `/api/v1/members/${inA1.id}/invitation`, undefined, w.adminA.token)).statusCode, 204);
    });
  });
}
