// Threat: a deleted member who keeps working (a live session, a sign-in under way, a factor or a
// link that still opens something), a deletion that leaves rows pointing at nobody or erases the
// trail of what the member did, an administrator deleting beyond their groups, anyone deleting the
// Master Account Holder, and a sign-in racing the deletion ending in a 500.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken, newId } from '../../src/crypto/tokens.ts';
import { call, createOrgTestApp, engines, PASSWORD, tokenFor, uniqueEmail, type TestApp } from './_setup.ts';
import { enrolTotp, newPhone, signInExpecting, totpNow, verify } from '../twoStep/_factors.ts';
import { expectProblem, requiredTechnician } from '../twoStep/_fixtures.ts';
import { buildWorld, type World } from './world.ts';

const MEMBER_TABLES = ['sessions', 'transactions', 'factors', 'recovery_codes', 'setup_codes', 'password_resets', 'invitations', 'sent_codes'] as const;

for (const engine of engines()) {
  describe(`deleting a member on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
    });
    after(async () => t?.close());

    const rowsOf = async (memberId: string): Promise<Record<string, number>> => {
      const counts: Record<string, number> = {};
      for (const table of MEMBER_TABLES) {
        const rows = await t.ctx.db.selectFrom(table).select('member_id').where('member_id', '=', memberId).execute();
        counts[table] = rows.length;
      }
      return counts;
    };
    const signIn = (email: string) => call(t, 'POST', '/api/v1/sign-in', { email, password: PASSWORD, client: { kind: 'technician-console' } });

    test('everything that let the member in ends at once, and the trail keeps who they were', async () => {
      const { org, member } = await requiredTechnician(t);
      const enrolled = await enrolTotp(t, member.email);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, enrolled.token)).statusCode, 200);
      const pending = await signInExpecting(t, member.email, 'verify');
      const now = t.clock.now().getTime();
      // What other flows leave behind: a setup code, a reset link, an old invitation, a code sent.
      await t.ctx.db.insertInto('setup_codes').values({
        member_id: member.id, organization_id: org.organizationId, code_hash: hashToken(newId()), created_at: now, expires_at: now + 1000, created_by: org.masterId,
      }).execute();
      await t.ctx.db.insertInto('password_resets').values({ member_id: member.id, token_hash: hashToken(newId()), created_at: now, expires_at: now + 1000 }).execute();
      await t.ctx.db.insertInto('invitations').values({ id: newId(), token_hash: hashToken(newId()), member_id: member.id, created_at: now, expires_at: now + 1000, used_at: now }).execute();
      await t.ctx.db.insertInto('sent_codes').values({
        id: newId(), factor_id: enrolled.factorId, transaction_id: 'x', code_hash: 'y', created_at: now, expires_at: now + 1000, used_at: null, member_id: null, client_network: null,
      }).execute();
      const before = await rowsOf(member.id);
      assert.ok(MEMBER_TABLES.filter((table) => table !== 'sent_codes').every((table) => before[table]! > 0), JSON.stringify(before));
      const earlier = await t.ctx.db.selectFrom('audit_events').select('id').where('entity_id', '=', member.id).execute();

      const deleted = await call(t, 'DELETE', `/api/v1/members/${member.id}`, undefined, org.masterToken);
      assert.equal(deleted.statusCode, 204, deleted.body);

      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, enrolled.token), 401, 'unauthenticated');
      expectProblem(await verify(t, pending.id, enrolled.factorId, totpNow(t, enrolled.seed)), 404, 'not_found');
      expectProblem(await signIn(member.email), 401, 'invalid_credentials');
      expectProblem(await call(t, 'GET', `/api/v1/members/${member.id}`, undefined, org.masterToken), 404, 'not_found');
      expectProblem(await call(t, 'DELETE', `/api/v1/members/${member.id}`, undefined, org.masterToken), 404, 'not_found');
      assert.deepEqual(await rowsOf(member.id), Object.fromEntries(MEMBER_TABLES.map((table) => [table, 0])));
      assert.equal((await t.ctx.db.selectFrom('sent_codes').select('id').where('factor_id', '=', enrolled.factorId).execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom('members').select('id').where('id', '=', member.id).execute()).length, 0);

      const trail = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_id', '=', member.id).execute();
      assert.ok(earlier.length > 0 && earlier.every((e) => trail.some((kept) => kept.id === e.id)), 'the member\'s earlier events stay');
      const event = trail.find((e) => e.change_type === 'Delete');
      assert.ok(event);
      assert.deepEqual([event.actor_id, event.entity_type, event.entity_name], [org.masterId, 'technician', `Member ${member.email.split('@')[0]}`]);
      const details = JSON.parse(event.details!) as { before: Record<string, unknown> };
      assert.equal(details.before.email, member.email);
      assert.equal(details.before.enabled, true);
    });

    test('an administrator deletes technicians of their groups only; nobody deletes themselves or the holder', async () => {
      const email = uniqueEmail('gone');
      const { id } = await w.asMah('POST', '/api/v1/members', { name: 'Gone', email, password: PASSWORD, technicianGroupId: w.groups.A1 }) as { id: string };
      expectProblem(await call(t, 'DELETE', `/api/v1/members/${w.techB.id}`, undefined, w.adminA.token), 404, 'not_found');
      expectProblem(await call(t, 'DELETE', `/api/v1/members/${w.adminTech.id}`, undefined, w.adminA.token), 403, 'forbidden');
      expectProblem(await call(t, 'DELETE', `/api/v1/members/${w.mah.id}`, undefined, w.master.token), 409, 'master_account_holder_protected');
      expectProblem(await call(t, 'DELETE', `/api/v1/members/${w.mah.id}`, undefined, w.mah.token), 403, 'forbidden');
      expectProblem(await call(t, 'DELETE', `/api/v1/members/${w.adminA.id}`, undefined, w.adminA.token), 403, 'forbidden');
      assert.equal((await call(t, 'DELETE', `/api/v1/members/${id}`, undefined, w.adminA.token)).statusCode, 204);
    });

    test('an administrator deleted by a master administrator leaves no assignment behind', async () => {
      const email = uniqueEmail('admin');
      const { id } = await w.asMah('POST', '/api/v1/members', { name: 'Admin', email, password: PASSWORD, role: 'administrator' }) as { id: string };
      await w.asMah('PATCH', `/api/v1/members/${id}`, { assignedTechnicianGroupIds: [w.groups.A, w.groups.B] });
      const session = await tokenFor(t, email);
      assert.equal((await call(t, 'DELETE', `/api/v1/members/${id}`, undefined, w.master.token)).statusCode, 204);
      expectProblem(await call(t, 'GET', '/api/v1/members', undefined, session), 401, 'unauthenticated');
      assert.equal((await t.ctx.db.selectFrom('administrator_assignments').select('technician_group_id').where('administrator_id', '=', id).execute()).length, 0);
      const event = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_id', '=', id).where('change_type', '=', 'Delete').executeTakeFirstOrThrow();
      assert.equal(event.entity_type, 'administrator');
      assert.deepEqual((JSON.parse(event.details!) as { before: { assignedTechnicianGroupIds: string[] } }).before.assignedTechnicianGroupIds, [w.groups.A, w.groups.B].sort());
    });

    test('a member signing in while being deleted: no error, and nothing left pointing at them', async () => {
      for (let round = 0; round < 6; round++) {
        const email = uniqueEmail('race');
        const { id } = await w.asMah('POST', '/api/v1/members', { name: 'Racer', email, password: PASSWORD, technicianGroupId: w.groups.B }) as { id: string };
        const [first, deleted, second] = await Promise.all([signIn(email), call(t, 'DELETE', `/api/v1/members/${id}`, undefined, w.master.token), signIn(email)]);
        assert.equal(deleted.statusCode, 204, deleted.body);
        for (const signedIn of [first, second]) {
          assert.ok(signedIn.statusCode === 200 || signedIn.statusCode === 401, `${signedIn.statusCode} ${signedIn.body}`);
          if (signedIn.statusCode === 401) assert.equal(signedIn.json<{ code: string }>().code, 'invalid_credentials');
          else expectProblem(await call(t, 'GET', '/api/v1/me', undefined, signedIn.json<{ session: { token: string } }>().session.token), 401, 'unauthenticated');
        }
        assert.deepEqual(await rowsOf(id), Object.fromEntries(MEMBER_TABLES.map((table) => [table, 0])));
      }
    });

    test('a factor bound while the member is being deleted: no error, and nothing left pointing at them', async () => {
      const expectGoneOr201 = (response: { statusCode: number; body: string; json<T>(): T }, gone: number, code: string) => {
        assert.ok(response.statusCode === 201 || response.statusCode === gone, `${response.statusCode} ${response.body}`);
        if (response.statusCode === gone) assert.equal(response.json<{ code: string }>().code, code);
      };
      for (let round = 0; round < 4; round++) {
        // In a sign-in's set-up.
        const { org, member } = await requiredTechnician(t);
        const tx = await signInExpecting(t, member.email, 'setup');
        const bind = () => call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'totp' });
        const [first, deleted, second] = await Promise.all([bind(), call(t, 'DELETE', `/api/v1/members/${member.id}`, undefined, org.masterToken), bind()]);
        assert.equal(deleted.statusCode, 204, deleted.body);
        for (const bound of [first, second]) expectGoneOr201(bound, 404, 'not_found');
        assert.deepEqual(await rowsOf(member.id), Object.fromEntries(MEMBER_TABLES.map((table) => [table, 0])));

        // From a signed-in session, one sending a code too.
        const other = await requiredTechnician(t);
        const { token } = await enrolTotp(t, other.member.email);
        const add = (body: Record<string, string>) => call(t, 'POST', '/api/v1/me/factors', body, token);
        const [app, gone, text] = await Promise.all([
          add({ type: 'totp' }), call(t, 'DELETE', `/api/v1/members/${other.member.id}`, undefined, other.org.masterToken), add({ type: 'sms', phoneNumber: newPhone() }),
        ]);
        assert.equal(gone.statusCode, 204, gone.body);
        expectGoneOr201(app, 401, 'unauthenticated');
        // Deleted after the factor was stored and before its code: the factor is gone when the code would be.
        if (text.statusCode !== 404) expectGoneOr201(text, 401, 'unauthenticated');
        else assert.equal(text.json<{ code: string }>().code, 'not_found');
        assert.deepEqual(await rowsOf(other.member.id), Object.fromEntries(MEMBER_TABLES.map((table) => [table, 0])));
      }
    });
  });
}
