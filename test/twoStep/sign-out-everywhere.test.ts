/**
 * "Sign out everywhere" (POST /api/v1/me/sign-out-everywhere) ends every session of the member, the one
 * asking included, and no one else's; it is audited once per request that ended sessions, with how
 * many. Parallel requests from the member's sessions end each session once.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { addGroup, addMember, expectProblem, organizationWith, type OrgWithAdmin } from './_fixtures.ts';

const URL = '/api/v1/me/sign-out-everywhere';

for (const engine of engines()) {
  describe(`sign out everywhere on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function signOutEvents(org: OrgWithAdmin, memberId: string): Promise<Array<Record<string, unknown>>> {
      const rows = await t.ctx.db.selectFrom('audit_events').select(['change_type', 'actor_id', 'details'])
        .where('organization_id', '=', org.organizationId).where('entity_id', '=', memberId).where('change_type', '=', 'SignOut').execute();
      return rows.map((row) => ({ actor: row.actor_id, ...JSON.parse(row.details ?? '{}') as Record<string, unknown> }));
    }

    test('ends every session of the member, this one included, and no one else\'s; audited with how many', async () => {
      const org = await organizationWith(t);
      const group = await addGroup(t, org);
      const member = await addMember(t, org, { technicianGroupId: group });
      const other = await addMember(t, org, { technicianGroupId: group });
      const tokens = [await tokenFor(t, member.email), await tokenFor(t, member.email), await tokenFor(t, member.email)];
      const othersToken = await tokenFor(t, other.email);

      const response = await call(t, 'POST', URL, undefined, tokens[1]);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { sessionsEnded: 3 });
      for (const token of tokens) expectProblem(await call(t, 'GET', '/api/v1/me', undefined, token), 401, 'unauthenticated');
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, othersToken)).statusCode, 200, 'another member stays signed in');
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, org.masterToken)).statusCode, 200);

      assert.deepEqual(await signOutEvents(org, member.id), [
        { actor: member.id, everywhere: true, sessionsEnded: 3, client: 'technician-console', clientVersion: null },
      ]);
      expectProblem(await call(t, 'POST', URL, undefined, tokens[0]), 401, 'unauthenticated');
      expectProblem(await call(t, 'POST', URL), 401, 'unauthenticated');
    });

    test('parallel requests from each of the member\'s sessions end each session once', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const tokens: string[] = [];
      for (let i = 0; i < 5; i++) tokens.push(await tokenFor(t, member.email));
      const answers = await Promise.all(tokens.map((token) => call(t, 'POST', URL, undefined, token)));
      for (const answer of answers) assert.ok([200, 401].includes(answer.statusCode), answer.body);
      const ended = answers.filter((a) => a.statusCode === 200).map((a) => (a.json() as { sessionsEnded: number }).sessionsEnded);
      assert.equal(ended.reduce((sum, n) => sum + n, 0), 5, `each session ended once: ${ended.join(', ')}`);
      const events = await signOutEvents(org, member.id);
      assert.equal(events.reduce((sum, e) => sum + Number(e.sessionsEnded), 0), 5);
      assert.ok(events.every((e) => Number(e.sessionsEnded) > 0), 'a request that ended nothing records nothing');
      for (const token of tokens) expectProblem(await call(t, 'GET', '/api/v1/me', undefined, token), 401, 'unauthenticated');
    });

    test('open to a member who must change their password first', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, member.email);
      await t.ctx.db.updateTable('members').set({ must_change_password: 1 }).where('id', '=', member.id).execute();
      expectProblem(await call(t, 'GET', '/api/v1/me/factors', undefined, token), 403, 'password_change_required');
      assert.equal((await call(t, 'POST', URL, undefined, token)).statusCode, 200);
      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, token), 401, 'unauthenticated');
    });
  });
}
