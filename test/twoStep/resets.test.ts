/**
 * Rule: "Force two-step verification reset" (docs/product-behaviour.md "Force two-step verification reset";
 * docs/two-step-verification.md "Reset"). docs/security.md S29 (ASVS 6.4.3, 6.4.6): the reset never shows or chooses the member's secret,
 * is audited (who, whom, when) and notifies the member; at the next sign-in the member sets it up
 * again. Master administrators reset any member; administrators only technicians of groups assigned
 * to them and their subgroups; unknown, foreign and invisible ids are 404 and nothing is reset.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { enrolTotp, signInExpecting } from './_factors.ts';
import { addGroup, addMember, assignGroup, expectProblem, organizationWith, sentTo } from './_fixtures.ts';

const RESETS = '/api/v1/two-step-verification/resets';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

for (const engine of engines()) {
  describe(`two-step verification resets on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const reset = (token: string, memberIds: string[], extra: Record<string, unknown> = {}) => call(t, 'POST', RESETS, { memberIds, ...extra }, token);

    async function organization() {
      const org = await organizationWith(t, { technicians: 'all' });
      const group = await addGroup(t, org);
      const subgroup = await addGroup(t, org, false, group);
      const elsewhere = await addGroup(t, org);
      return { org, group, subgroup, elsewhere };
    }

    async function enrolled(org: Awaited<ReturnType<typeof organization>>['org'], groupId: string) {
      const member = await addMember(t, org, { technicianGroupId: groupId });
      return { member, factor: await enrolTotp(t, member.email) };
    }

    test('a master administrator resets members: they set up again, are told, and it is audited', async () => {
      const { org, group } = await organization();
      const a = await enrolled(org, group);
      const b = await enrolled(org, group);
      const notSetUp = await addMember(t, org, { technicianGroupId: group });
      const pending = await signInExpecting(t, a.member.email, 'verify');
      const notices = sentTo(t, a.member.email).length;

      const response = await reset(org.masterToken, [a.member.id, b.member.id, notSetUp.id], { reason: 'lost phone' });
      assert.equal(response.statusCode, 200, response.body);
      // Only the count: nothing of anyone's secret, and only members who had it set up are counted.
      assert.deepEqual(response.json(), { reset: 2 });

      for (const m of [a.member, b.member, notSetUp]) {
        const tx = await signInExpecting(t, m.email, 'setup');
        assert.deepEqual(tx.factors, []);
      }
      assert.equal(sentTo(t, a.member.email).length, notices + 1, 'the member is told');
      assert.doesNotMatch(sentTo(t, a.member.email).at(-1)!.text, /\b\d{6}\b/);
      // A sign-in under way with the old factor ends.
      assert.equal(expectProblem(await call(t, 'GET', `/api/v1/transactions/${pending.id}`), 410, 'transaction_expired').state, 'expired');
      // The old session is kept unless asked otherwise.
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, a.factor.token)).statusCode, 200);

      const events = await t.ctx.db.selectFrom('audit_events').selectAll()
        .where('organization_id', '=', org.organizationId).where('change_type', '=', 'Reset').orderBy('entity_id').execute();
      assert.deepEqual(events.map((e) => e.entity_id).sort(), [a.member.id, b.member.id, notSetUp.id].sort());
      for (const event of events) {
        assert.equal(event.actor_id, org.masterId);
        assert.equal(event.at, t.clock.now().getTime());
        assert.equal(JSON.parse(event.details ?? '{}').reason, 'lost phone');
      }
    });

    test('endSessions also ends the members\' sessions', async () => {
      const { org, group } = await organization();
      const a = await enrolled(org, group);
      assert.equal((await reset(org.masterToken, [a.member.id], { endSessions: true })).statusCode, 200);
      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, a.factor.token), 401, 'unauthenticated');
    });

    test('an unknown or foreign id anywhere in the list: 404, and nobody is reset', async () => {
      const { org, group } = await organization();
      const a = await enrolled(org, group);
      const other = await organizationWith(t, { technicians: 'all' });
      const foreign = await enrolled(other, await addGroup(t, other));
      for (const stranger of [UNKNOWN, foreign.member.id]) {
        const body = expectProblem(await reset(org.masterToken, [a.member.id, stranger]), 404, 'not_found');
        assert.equal(body.memberId, stranger);
      }
      await signInExpecting(t, a.member.email, 'verify');
      await signInExpecting(t, foreign.member.email, 'verify');
    });

    test('administrators reset only technicians of the groups assigned to them and their subgroups', async () => {
      const { org, group, subgroup, elsewhere } = await organization();
      const administrator = await addMember(t, org, { role: 'administrator' });
      await assignGroup(t, administrator.id, group);
      const token = await tokenFor(t, administrator.email);
      const inGroup = await enrolled(org, group);
      const inSubgroup = await enrolled(org, subgroup);
      const outside = await enrolled(org, elsewhere);
      const otherAdmin = await addMember(t, org, { role: 'administrator' });
      const adminTechnician = await addMember(t, org, { role: 'administrator', technicianGroupId: group });

      // Out of reach: not visible (404) or visible but not theirs to reset (403); nothing happens.
      expectProblem(await reset(token, [inGroup.member.id, outside.member.id]), 404, 'not_found');
      expectProblem(await reset(token, [otherAdmin.id]), 404, 'not_found');
      expectProblem(await reset(token, [org.masterId]), 404, 'not_found');
      expectProblem(await reset(token, [adminTechnician.id]), 403, 'forbidden');
      await signInExpecting(t, inGroup.member.email, 'verify');

      assert.deepEqual((await reset(token, [inGroup.member.id, inSubgroup.member.id])).json(), { reset: 2 });
      await signInExpecting(t, inGroup.member.email, 'setup');
      await signInExpecting(t, inSubgroup.member.email, 'setup');
      await signInExpecting(t, outside.member.email, 'verify');
      const event = await t.ctx.db.selectFrom('audit_events').select('actor_id')
        .where('entity_id', '=', inSubgroup.member.id).where('change_type', '=', 'Reset').executeTakeFirstOrThrow();
      assert.equal(event.actor_id, administrator.id);
    });

    test('technicians cannot reset anyone, themselves included', async () => {
      const { org, group } = await organization();
      const a = await enrolled(org, group);
      const b = await enrolled(org, group);
      expectProblem(await reset(a.factor.token, [b.member.id]), 404, 'not_found');
      expectProblem(await reset(a.factor.token, [a.member.id]), 403, 'forbidden');
      await signInExpecting(t, a.member.email, 'verify');
      await signInExpecting(t, b.member.email, 'verify');
    });
  });
}
