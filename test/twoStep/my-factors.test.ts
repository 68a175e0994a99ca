/**
 * Threat: an open session (a borrowed laptop, a stolen cookie) used to swap the member's factors.
 * docs/security.md S25 (adding a factor needs a fully verified session, is notified by email and audited)
 * and S28 (changing or removing a factor needs reauthentication with a factor, resists IDOR, and
 * notifies); docs/two-step-verification.md "A member's own factors": the last factor of a member who must use two-step verification
 * cannot be removed; docs/security.md S9: a new factor counts only once confirmed with a code from it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { enrolTotp, seedOf, signInExpecting, totpNow, wrongTotp, type EnrolledTotp } from './_factors.ts';
import { addGroup, addMember, expectProblem, factorRow, requiredTechnician, saveSettings, sentTo } from './_fixtures.ts';

const MINUTE = 60_000;

for (const engine of engines()) {
  describe(`a member's own factors on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function enrolled() {
      const { org, member } = await requiredTechnician(t);
      return { org, member, factor: await enrolTotp(t, member.email) };
    }

    const reauthenticate = (factor: EnrolledTotp, code = totpNow(t, factor.seed)) =>
      call(t, 'POST', '/api/v1/me/reauthentication', { factorId: factor.factorId, code }, factor.token);

    /** Adds and confirms a second TOTP factor from the session; returns its id and seed. */
    async function addTotp(factor: EnrolledTotp) {
      const added = await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, factor.token);
      assert.equal(added.statusCode, 201, added.body);
      assert.equal(added.headers['cache-control'], 'no-store');
      const seed = seedOf(added.json().otpauthUri);
      assert.match(added.json().qrCodeSvg, /^<svg/);
      return { id: added.json().id as string, seed };
    }

    test('adding needs a recent re-verification, then a code from the new factor; the member is told', async () => {
      const { member, factor } = await enrolled();
      t.clock.advance(10 * MINUTE);
      expectProblem(await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, factor.token), 403, 'reauthentication_required');

      expectProblem(await reauthenticate(factor, wrongTotp(t, factor.seed)), 400, 'invalid_code');
      const again = await reauthenticate(factor);
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().validUntil, new Date(t.clock.now().getTime() + 10 * MINUTE).toISOString());

      const notices = sentTo(t, member.email).length;
      const added = await addTotp(factor);
      // Pending: not offered at sign-in until confirmed (docs/security.md S9).
      assert.deepEqual((await signInExpecting(t, member.email, 'verify')).factors.map((f) => f.id), [factor.factorId]);
      expectProblem(await call(t, 'POST', `/api/v1/me/factors/${added.id}/confirm`, { code: wrongTotp(t, added.seed) }, factor.token), 400, 'invalid_code');
      const confirmed = await call(t, 'POST', `/api/v1/me/factors/${added.id}/confirm`, { code: totpNow(t, added.seed) }, factor.token);
      assert.equal(confirmed.statusCode, 200, confirmed.body);

      const mine = await call(t, 'GET', '/api/v1/me/factors', undefined, factor.token);
      assert.deepEqual(mine.json().factors.map((f: { id: string }) => f.id), [factor.factorId, added.id]);
      assert.deepEqual((await signInExpecting(t, member.email, 'verify')).factors.map((f) => f.id), [factor.factorId, added.id]);
      assert.equal(sentTo(t, member.email).length, notices + 1, 'one notice for the binding');
      const audit = await t.ctx.db.selectFrom('audit_events').select(['actor_id', 'change_type']).where('entity_id', '=', added.id).execute();
      assert.deepEqual(audit, [{ actor_id: member.id, change_type: 'Bind' }]);
    });

    test('removing needs re-verification, is told and audited, and never takes the last factor', async () => {
      const { member, factor } = await enrolled();
      const second = await addTotp(factor);
      assert.equal((await call(t, 'POST', `/api/v1/me/factors/${second.id}/confirm`, { code: totpNow(t, second.seed) }, factor.token)).statusCode, 200);

      t.clock.advance(10 * MINUTE + 1000);
      expectProblem(await call(t, 'DELETE', `/api/v1/me/factors/${second.id}`, undefined, factor.token), 403, 'reauthentication_required');
      assert.equal((await reauthenticate(factor)).statusCode, 200);
      const notices = sentTo(t, member.email).length;
      const removed = await call(t, 'DELETE', `/api/v1/me/factors/${second.id}`, undefined, factor.token);
      assert.equal(removed.statusCode, 204, removed.body);
      assert.equal(sentTo(t, member.email).length, notices + 1, 'one notice for the removal');
      const audit = await t.ctx.db.selectFrom('audit_events').select('change_type').where('entity_id', '=', second.id).orderBy('at').execute();
      assert.deepEqual(audit.map((a) => a.change_type), ['Bind', 'Remove']);

      expectProblem(await call(t, 'DELETE', `/api/v1/me/factors/${factor.factorId}`, undefined, factor.token), 409, 'last_factor');
      assert.equal((await factorRow(t, factor.factorId)).active, 1);
      assert.equal(sentTo(t, member.email).length, notices + 1, 'nothing removed, nothing told');
    });

    test('re-pairing ("Start pairing again") swaps the only factor for the new one once it is confirmed', async () => {
      const { org, member, factor } = await enrolled();
      const added = await call(t, 'POST', '/api/v1/me/factors', { type: 'totp', replacesFactorId: factor.factorId }, factor.token);
      assert.equal(added.statusCode, 201, added.body);
      assert.equal(added.json().replacesFactorId, factor.factorId);
      const fresh = { id: added.json().id as string, seed: seedOf(added.json().otpauthUri) };

      // Until the new one is confirmed the old one is the member's, and the only one offered.
      expectProblem(await call(t, 'POST', `/api/v1/me/factors/${fresh.id}/confirm`, { code: wrongTotp(t, fresh.seed) }, factor.token), 400, 'invalid_code');
      assert.deepEqual((await signInExpecting(t, member.email, 'verify')).factors.map((f) => f.id), [factor.factorId]);
      const notices = sentTo(t, member.email).length;
      const confirmed = await call(t, 'POST', `/api/v1/me/factors/${fresh.id}/confirm`, { code: totpNow(t, fresh.seed) }, factor.token);
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().replacedFactorId, factor.factorId);

      const mine = await call(t, 'GET', '/api/v1/me/factors', undefined, factor.token);
      assert.deepEqual(mine.json().factors.map((f: { id: string }) => f.id), [fresh.id]);
      assert.equal(await t.ctx.db.selectFrom('factors').select('id').where('id', '=', factor.factorId).executeTakeFirst(), undefined);
      t.clock.advance(30_000);
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.deepEqual(tx.factors.map((f) => f.id), [fresh.id]);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/verify`, { factorId: factor.factorId, code: totpNow(t, factor.seed) }), 400, 'factor_not_offered');
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${tx.id}/verify`, { factorId: fresh.id, code: totpNow(t, fresh.seed) })).statusCode, 200);

      assert.equal(sentTo(t, member.email).length, notices + 2, 'told of the new method and of the one it replaced');
      const events = await t.ctx.db.selectFrom('audit_events').select(['entity_id', 'change_type', 'details'])
        .where('organization_id', '=', org.organizationId).where('entity_id', 'in', [fresh.id, factor.factorId]).where('change_type', 'in', ['Bind', 'Remove'])
        .orderBy('at').orderBy('id').execute();
      const details = (e: { details: unknown }) => (typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as Record<string, unknown>;
      const bind = events.find((e) => e.entity_id === fresh.id && e.change_type === 'Bind')!;
      const remove = events.find((e) => e.entity_id === factor.factorId && e.change_type === 'Remove')!;
      assert.equal(details(bind).replaces, factor.factorId);
      assert.equal(details(remove).replacedBy, fresh.id);
    });

    test('confirming needs a recent verification too: a factor left pending binds nothing later', async () => {
      const { factor } = await enrolled();
      const added = await addTotp(factor);
      t.clock.advance(10 * MINUTE + 1000);
      const confirmLater = () => call(t, 'POST', `/api/v1/me/factors/${added.id}/confirm`, { code: totpNow(t, added.seed) }, factor.token);
      expectProblem(await confirmLater(), 403, 'reauthentication_required');
      assert.equal((await factorRow(t, added.id)).active, 0);
      assert.equal((await reauthenticate(factor)).statusCode, 200);
      assert.equal((await confirmLater()).statusCode, 200);
    });

    test('re-pairing names one of the member\'s own methods, or nothing is added', async () => {
      const { org, member, factor } = await enrolled();
      const other = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const theirs = await enrolTotp(t, other.email);
      for (const replacesFactorId of [theirs.factorId, '0190b2c4-7c1e-7000-8000-000000000001']) {
        expectProblem(await call(t, 'POST', '/api/v1/me/factors', { type: 'totp', replacesFactorId }, factor.token), 404, 'not_found');
      }
      assert.equal((await factorRow(t, theirs.factorId)).active, 1);
      const pending = await t.ctx.db.selectFrom('factors').select('id').where('member_id', '=', member.id).where('active', '=', 0).execute();
      assert.deepEqual(pending, []);
    });

    test('re-pairing while the old factor signs in: each answers, nothing fails (one lock order)', async () => {
      const { member, factor } = await enrolled();
      let current = { id: factor.factorId, seed: factor.seed };
      for (let round = 0; round < 12; round++) {
        const added = await call(t, 'POST', '/api/v1/me/factors', { type: 'totp', replacesFactorId: current.id }, factor.token);
        assert.equal(added.statusCode, 201, added.body);
        const fresh = { id: added.json().id as string, seed: seedOf(added.json().otpauthUri) };
        const signIn = await signInExpecting(t, member.email, 'verify');
        const [confirmed, verified] = await Promise.all([
          call(t, 'POST', `/api/v1/me/factors/${fresh.id}/confirm`, { code: totpNow(t, fresh.seed) }, factor.token),
          call(t, 'POST', `/api/v1/transactions/${signIn.id}/verify`, { factorId: current.id, code: totpNow(t, current.seed) }),
        ]);
        assert.equal(confirmed.statusCode, 200, confirmed.body);
        // Before the swap the old factor signs in; after it, it is no longer offered.
        if (verified.statusCode !== 200) expectProblem(verified, 400, 'factor_not_offered');
        current = fresh;
        t.clock.advance(30_000);
      }
    });

    test('a member who no longer must use it may remove the last factor', async () => {
      const { org, factor } = await enrolled();
      await saveSettings(t, org.masterToken, { technicians: 'none' });
      const removed = await call(t, 'DELETE', `/api/v1/me/factors/${factor.factorId}`, undefined, factor.token);
      assert.equal(removed.statusCode, 204, removed.body);
    });

    test("another member's factor cannot be removed, confirmed or used to re-verify", async () => {
      const { org, factor } = await enrolled();
      const other = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const theirs = await enrolTotp(t, other.email);
      expectProblem(await call(t, 'DELETE', `/api/v1/me/factors/${theirs.factorId}`, undefined, factor.token), 404, 'not_found');
      expectProblem(await call(t, 'POST', `/api/v1/me/factors/${theirs.factorId}/confirm`, { code: totpNow(t, theirs.seed) }, factor.token), 404, 'not_found');
      expectProblem(await call(t, 'POST', '/api/v1/me/reauthentication', { factorId: theirs.factorId, code: totpNow(t, theirs.seed) }, factor.token), 404, 'not_found');
      const row = await factorRow(t, theirs.factorId);
      assert.equal(row.active, 1);
      assert.equal(row.failures, 0);
    });

    test('re-verification is rate limited: five tries per ten minutes', async () => {
      const { factor } = await enrolled();
      for (let i = 0; i < 5; i++) expectProblem(await reauthenticate(factor, wrongTotp(t, factor.seed, i)), 400, 'invalid_code');
      const limited = expectProblem(await reauthenticate(factor), 429, 'rate_limited');
      assert.ok(Number(limited.retryAfterSeconds) > 0);
    });
  });
}
