/**
 * Finding members: a name or email substring (case ignored, LIKE's own characters taken literally),
 * technician group, role and two-step verification state (required, not set up, set up, must set up
 * again, locked: a factor or the password), each page after the last by a keyset cursor; administrators find only the members
 * they may manage, whatever they search for.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { enrolTotp } from '../twoStep/_factors.ts';
import { addGroup, addMember, assignGroup, organizationWith, saveSettings, verifiedSessionToken, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { smsOnlyMember } from '../twoStep/_switchedOff.ts';
import { PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS } from '../../src/services/signIn/passwordAttempts.ts';

interface Listed { id: string; name: string; email: string }

for (const engine of engines()) {
  describe(`finding members on ${engine}`, () => {
    let t: TestApp;
    let org: OrgWithAdmin;
    let groupA: string;
    let groupB: string;
    const ids: Record<string, string> = {};
    let adminToken: string;

    /** Every page of a listing, `limit` at a time, as ids in order. */
    async function listAll(query: string, token = org.masterToken, limit = 2): Promise<string[]> {
      const found: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const url: string = `/api/v1/members?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const response = await call(t, 'GET', url, undefined, token);
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
        const page = response.json() as { items: Listed[]; nextCursor: string | null };
        assert.ok(page.items.length <= limit);
        found.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor;
        if (cursor === null) return found;
      }
      assert.fail('too many pages');
    }
    const named = async (name: string, options: Parameters<typeof addMember>[2]) => {
      const member = await addMember(t, org, options);
      await t.ctx.db.updateTable('members').set({ name }).where('id', '=', member.id).execute();
      t.clock.advance(1_000);
      return member;
    };

    before(async () => {
      t = await createTestApp({ engine });
      org = await organizationWith(t, { technicians: 'selected_groups' });
      groupA = await addGroup(t, org, true);
      groupB = await addGroup(t, org, false);
      t.clock.advance(1_000);
      ids.ann = (await named('Ann Smith', { technicianGroupId: groupA })).id;
      ids.bob = (await named('Bob 100%_Done', { technicianGroupId: groupA })).id;
      ids.cat = (await named('Cat SMITHSON', { technicianGroupId: groupB })).id;
      ids.dan = (await named("Dan O'Brien", { role: 'administrator' })).id;
      ids.eve = (await named('Eve Smith', { technicianGroupId: groupA })).id;
      ids.fay = (await named('Fay Back\\slash', { technicianGroupId: groupA })).id;
      await assignGroup(t, ids.dan, groupA);
      adminToken = await verifiedSessionToken(t, (await t.ctx.db.selectFrom('members').select('email').where('id', '=', ids.dan!).executeTakeFirstOrThrow()).email);
    });
    after(async () => { await t.close(); });

    test('by name or email, ignoring case, across pages', async () => {
      assert.deepEqual(await listAll('q=smith'), [ids.ann, ids.cat, ids.eve]);
      assert.deepEqual(await listAll('q=SMITH', org.masterToken, 1), [ids.ann, ids.cat, ids.eve]);
      const annEmail = (await t.ctx.db.selectFrom('members').select('email').where('id', '=', ids.ann!).executeTakeFirstOrThrow()).email;
      assert.deepEqual(await listAll(`q=${encodeURIComponent(annEmail.toUpperCase())}`), [ids.ann]);
    });

    test('LIKE characters and quotes are searched for literally', async () => {
      assert.deepEqual(await listAll('q=%25'), [ids.bob]);
      assert.deepEqual(await listAll('q=_'), [ids.bob]);
      assert.deepEqual(await listAll('q=0%25_D'), [ids.bob]);
      assert.deepEqual(await listAll(`q=${encodeURIComponent("O'Brien")}`), [ids.dan]);
      assert.deepEqual(await listAll(`q=${encodeURIComponent('\\')}`), [ids.fay]);
      assert.deepEqual(await listAll(`q=${encodeURIComponent("' OR 1=1 --")}`), []);
      assert.equal((await t.ctx.db.selectFrom('members').select('id').execute()).length > 6, true, 'nothing was dropped or changed');
    });

    test('by technician group and role, combined with a search', async () => {
      assert.deepEqual(await listAll(`technicianGroupId=${groupA}`), [ids.ann, ids.bob, ids.eve, ids.fay]);
      assert.deepEqual(await listAll(`technicianGroupId=${groupA}&q=smith`), [ids.ann, ids.eve]);
      assert.deepEqual(await listAll('role=administrator'), [ids.dan]);
      const technicians = await listAll('role=technician');
      assert.deepEqual(technicians, [ids.ann, ids.bob, ids.cat, ids.eve, ids.fay]);
      const masters = await listAll('role=master_administrator');
      assert.deepEqual(masters, [org.masterId]);
    });

    test('administrators find only the members they manage', async () => {
      // Cat (group B) matches the search but is not the administrator's to see.
      assert.deepEqual(await listAll('q=smith', adminToken), [ids.ann, ids.eve]);
      assert.deepEqual(await listAll('role=technician', adminToken, 1), [ids.ann, ids.bob, ids.eve, ids.fay]);
      assert.deepEqual(await listAll('role=master_administrator', adminToken), []);
    });

    test('`locked` finds a password locked by wrong passwords, as the record shows it, and no longer once it ends', async () => {
      const o = await organizationWith(t, { technicians: 'none' });
      const group = await addGroup(t, o);
      const wrongPasswords = async (email: string, count: number) => {
        for (let i = 0; i < count; i++) {
          const answer = await call(t, 'POST', '/api/v1/sign-in', { email, password: 'Wrong-Horse-1' });
          assert.equal(answer.statusCode, 401, answer.body);
        }
      };
      const lockedOut = await addMember(t, o, { technicianGroupId: group });
      const almost = await addMember(t, o, { technicianGroupId: group });
      await addMember(t, o, { technicianGroupId: group });
      await wrongPasswords(lockedOut.email, PASSWORD_FAILURE_LIMIT);
      await wrongPasswords(almost.email, PASSWORD_FAILURE_LIMIT - 1);
      const list = (query: string) => listAll(query, o.masterToken);
      const passwordLockOf = async (id: string) =>
        ((await call(t, 'GET', `/api/v1/members/${id}`, undefined, o.masterToken)).json() as { passwordLock: unknown }).passwordLock;

      assert.deepEqual(await list('twoStepState=locked'), [lockedOut.id]);
      assert.notEqual(await passwordLockOf(lockedOut.id), null);
      assert.equal(await passwordLockOf(almost.id), null);
      // The lock slides away with its oldest wrong password, in the listing as on the record.
      t.clock.advance(PASSWORD_FAILURE_WINDOW_MS);
      assert.equal(await passwordLockOf(lockedOut.id), null);
      assert.deepEqual(await list('twoStepState=locked'), []);
    });

    test('by two-step verification state', async () => {
      const o = await organizationWith(t, { technicians: 'all' });
      const group = await addGroup(t, o);
      const smsOnly = await smsOnlyMember(t, o, { technicianGroupId: group });
      const withApp = await addMember(t, o, { technicianGroupId: group });
      await enrolTotp(t, withApp.email);
      const never = await addMember(t, o, { technicianGroupId: group });
      const lockedOne = await addMember(t, o, { technicianGroupId: group });
      const lockedApp = await enrolTotp(t, lockedOne.email);
      await t.ctx.db.updateTable('factors').set({ locked_until: t.clock.now().getTime() + 60_000 }).where('id', '=', lockedApp.factorId).execute();
      await saveSettings(t, o.masterToken, { technicians: 'all', allowedMethods: ['totp', 'email'] });
      const list = (query: string) => listAll(query, o.masterToken);

      assert.deepEqual(await list('twoStepState=required'), [smsOnly.id, withApp.id, never.id, lockedOne.id]);
      assert.deepEqual(await list('twoStepState=set_up'), [withApp.id, lockedOne.id]);
      assert.deepEqual(await list('twoStepState=not_set_up'), [smsOnly.id, never.id]);
      assert.deepEqual(await list('twoStepState=must_set_up_again'), [smsOnly.id]);
      assert.deepEqual(await list('twoStepState=locked'), [lockedOne.id]);
      assert.deepEqual(await list(`twoStepState=set_up&technicianGroupId=${group}&role=technician`), [withApp.id, lockedOne.id]);
      // The listing agrees with each member's record.
      for (const id of [smsOnly.id, withApp.id, never.id]) {
        const record = (await call(t, 'GET', `/api/v1/members/${id}`, undefined, o.masterToken)).json() as { twoStepVerification: { mustSetUpAgain: boolean } };
        assert.equal(record.twoStepVerification.mustSetUpAgain, id === smsOnly.id);
      }
      // The master administrator need not use it; once nobody must, nobody is "must set up again".
      await saveSettings(t, o.masterToken, { technicians: 'none', allowedMethods: ['totp', 'email'] });
      assert.deepEqual(await list('twoStepState=required'), []);
      assert.deepEqual(await list('twoStepState=must_set_up_again'), []);
    });
  });
}
