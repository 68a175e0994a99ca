// Threat: a disabled member who keeps working (a live session, or signing in again), a member lost
// or duplicated when moved between groups, and listings that show an administrator members outside
// their groups or skip and repeat members across pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createOrgTestApp, engines, PASSWORD, tokenFor, uniqueEmail, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

interface MemberBody { id: string; technicianGroupId: string | null; enabled: boolean; role: string | null; licenses: { administrator: boolean; technician: boolean }; assignedTechnicianGroupIds: string[] }
interface PageBody { items: MemberBody[]; nextCursor: string | null }

for (const engine of engines()) {
  describe(`a member's life on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
    });
    after(async () => t?.close());

    const signIn = (email: string) => call(t, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: { kind: 'technician-console' } });

    test('a disabled member cannot sign in and their sessions end; enabled again, they can', async () => {
      const email = uniqueEmail('disable');
      const { id } = await w.asMah('POST', '/api/v1/members', { name: 'Dee', email, password: PASSWORD, technicianGroupId: w.groups.A1 }) as { id: string };
      const session = await tokenFor(t, email);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, session)).statusCode, 200);

      const disabled = await call(t, 'PATCH', `/api/v1/members/${id}`, { enabled: false }, w.adminA.token);
      assert.equal(disabled.statusCode, 200, disabled.body);
      assert.equal(disabled.json<MemberBody>().enabled, false);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, session)).statusCode, 401);
      const refused = await signIn(email);
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json<{ code: string }>().code, 'invalid_credentials');
      const sessions = await t.ctx.db.selectFrom('sessions').select('revoked_at').where('member_id', '=', id).execute();
      assert.ok(sessions.length > 0 && sessions.every((s) => s.revoked_at !== null));

      // The test clock stands still; a tick keeps the two events apart in time, as they would be.
      t.clock.advance(1);
      assert.equal((await call(t, 'PATCH', `/api/v1/members/${id}`, { enabled: true }, w.adminA.token)).statusCode, 200);
      await tokenFor(t, email);
      const events = await t.ctx.db.selectFrom('audit_events').select('change_type').where('entity_id', '=', id).orderBy('at').execute();
      assert.deepEqual(events.map((e) => e.change_type).filter((c) => c === 'Disable' || c === 'Enable'), ['Disable', 'Enable']);
    });

    test('a member moves between groups with their account intact, and the move is audited', async () => {
      const email = uniqueEmail('mover');
      const { id } = await w.asMah('POST', '/api/v1/members', { name: 'Mo', email, password: PASSWORD, technicianGroupId: w.groups.A1 }) as { id: string };
      const moved = await call(t, 'PATCH', `/api/v1/members/${id}`, { technicianGroupId: w.groups.B }, w.master.token);
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json<MemberBody>().technicianGroupId, w.groups.B);
      // Out of adminA's reach now.
      assert.equal((await call(t, 'GET', `/api/v1/members/${id}`, undefined, w.adminA.token)).statusCode, 404);
      await tokenFor(t, email);
      const move = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_id', '=', id).where('change_type', '=', 'Move').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(move.details!), { before: { technicianGroupId: w.groups.A1 }, after: { technicianGroupId: w.groups.B } });
    });

    test('licenses follow the role and the group; leaving the administrator role ends assignments', async () => {
      const { id } = await w.asMah('POST', '/api/v1/members', { name: 'Both', email: uniqueEmail('both'), role: 'administrator', technicianGroupId: w.groups.B }) as { id: string };
      let member = (await call(t, 'PATCH', `/api/v1/members/${id}`, { assignedTechnicianGroupIds: [w.groups.A] }, w.mah.token)).json<MemberBody>();
      assert.deepEqual(member.licenses, { administrator: true, technician: true });
      assert.deepEqual(member.assignedTechnicianGroupIds, [w.groups.A]);
      member = (await call(t, 'PATCH', `/api/v1/members/${id}`, { technicianGroupId: null }, w.mah.token)).json<MemberBody>();
      assert.deepEqual(member.licenses, { administrator: true, technician: false });
      const demoted = await call(t, 'PATCH', `/api/v1/members/${id}`, { role: null }, w.mah.token);
      assert.equal(demoted.statusCode, 400, 'a member with neither a role nor a group cannot exist');
      member = (await call(t, 'PATCH', `/api/v1/members/${id}`, { role: null, technicianGroupId: w.groups.B }, w.mah.token)).json<MemberBody>();
      assert.deepEqual([member.role, member.licenses, member.assignedTechnicianGroupIds], [null, { administrator: false, technician: true }, []]);
    });

    test('an administrator lists only themselves and the members of their groups', async () => {
      const listed = (await call(t, 'GET', '/api/v1/members?limit=200', undefined, w.adminA.token)).json<PageBody>();
      const ids = new Set(listed.items.map((m) => m.id));
      assert.ok(ids.has(w.adminA.id) && ids.has(w.tech.id) && ids.has(w.techA1.id) && ids.has(w.adminTech.id));
      assert.ok(!ids.has(w.techB.id) && !ids.has(w.mah.id) && !ids.has(w.master.id) && !ids.has(w.foreign.id));
      const technician = (await call(t, 'GET', '/api/v1/members', undefined, w.tech.token)).json<PageBody>();
      assert.deepEqual(technician.items.map((m) => m.id), [w.tech.id]);
      const byGroup = (await call(t, 'GET', `/api/v1/members?technicianGroupId=${w.groups.A1}`, undefined, w.adminA.token)).json<PageBody>();
      assert.ok(byGroup.items.length > 0 && byGroup.items.every((m) => m.technicianGroupId === w.groups.A1));
    });

    test('pages of members join up without gaps or repeats', async () => {
      // Members made in the same millisecond still come in one order: the id breaks ties.
      for (let i = 0; i < 5; i++) await w.asMah('POST', '/api/v1/members', { name: `Page ${i}`, email: uniqueEmail('page'), technicianGroupId: w.groups.B });
      const all = (await call(t, 'GET', '/api/v1/members?limit=200', undefined, w.mah.token)).json<PageBody>();
      assert.equal(all.nextCursor, null);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/members?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page: PageBody = (await call(t, 'GET', url, undefined, w.mah.token)).json<PageBody>();
        assert.ok(page.items.length <= 3);
        paged.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(paged, all.items.map((m) => m.id));
    });
  });
}
