/**
 * docs/security.md S26: set-up after the password alone lets whoever holds the password bind the first
 * factor. Mitigation: an administrator who may reset a member's two-step verification issues a
 * one-time setup code (`POST /api/v1/members/{id}/setup-code`), hands it over by another channel, and
 * the member's set-up activates only with it. Shown once, stored as a hash, used once (also under
 * parallel requests), a wrong one counted like a wrong code, audited, and the member is told.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { hashToken } from '../../src/crypto/tokens.ts';
import { PASSWORD, call, consoleSignIn, createTestApp, engines, tokenFor, type TestApp, type TransactionBody } from '../support/harness.ts';
import { holdRowLocks, lockWaiters } from '../support/postgres.ts';
import { bindTotp, confirm, enrolTotp, seedOf, signInExpecting, totpNow } from './_factors.ts';
import { addGroup, addMember, assignGroup, codeCounts, expectProblem, organizationWith, sentTo, verifiedSessionToken } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`one-time setup codes on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const issue = (memberId: string, token: string) => call(t, 'POST', `/api/v1/members/${memberId}/setup-code`, undefined, token);
    const activateWith = (txId: string, body?: object) => call(t, 'POST', `/api/v1/transactions/${txId}/activate`, body);

    /** A sign-in in set-up with a confirmed authenticator app, ready to activate. */
    async function readyToActivate(email: string): Promise<TransactionBody> {
      const tx = await signInExpecting(t, email, 'setup');
      const pending = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      return (await call(t, 'GET', `/api/v1/transactions/${tx.id}`)).json() as TransactionBody;
    }

    async function resetTechnician() {
      const org = await organizationWith(t, { technicians: 'all' });
      const group = await addGroup(t, org);
      const member = await addMember(t, org, { technicianGroupId: group });
      await enrolTotp(t, member.email);
      const reset = await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id] }, org.masterToken);
      assert.equal(reset.statusCode, 200, reset.body);
      return { org, group, member };
    }

    test('after a reset with a setup code, set-up activates only with it; once used it is gone', async () => {
      const { org, member } = await resetTechnician();
      const notices = sentTo(t, member.email).length;
      const issued = await issue(member.id, org.masterToken);
      assert.equal(issued.statusCode, 201, issued.body);
      assert.equal(issued.headers['cache-control'], 'no-store');
      const { setupCode, expiresAt } = issued.json() as { setupCode: string; expiresAt: string };
      assert.match(setupCode, /^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
      assert.equal(expiresAt, new Date(t.clock.now().getTime() + 72 * 3_600_000).toISOString());
      assert.equal(sentTo(t, member.email).length, notices + 1, 'the member is told');
      assert.ok(!sentTo(t, member.email).some((m) => m.text.includes(setupCode)), 'the code is never sent to the member');

      const tx = await readyToActivate(member.email);
      assert.equal((tx as { setup?: { setupCodeRequired?: boolean } }).setup?.setupCodeRequired, true);
      expectProblem(await activateWith(tx.id), 403, 'setup_code_required');
      assert.equal(expectProblem(await activateWith(tx.id, { setupCode: 'zzzz-zzzz-zzzz-zzzz' }), 400, 'invalid_code').attemptsRemaining, 4);
      const done = await activateWith(tx.id, { setupCode: setupCode.toUpperCase().replaceAll('-', ' ') });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().state, 'complete');

      // Used: nothing of it is left, and the trail says who issued it without the code.
      assert.deepEqual(await t.ctx.db.selectFrom('setup_codes').selectAll().where('member_id', '=', member.id).execute(), []);
      const events = (await call(t, 'GET', `/api/v1/audit-events?entityId=${member.id}&limit=200`, undefined, org.masterToken)).json() as { items: Array<{ changeType: string; details: unknown }> };
      const added = events.items.filter((e) => e.changeType === 'Add' && JSON.stringify(e.details).includes('setup code'));
      assert.equal(added.length, 1);
      assert.ok(!JSON.stringify(events.items).includes(setupCode));
    });

    test('while a code is pending, a session cannot bind the first factor with the password: set-up with the code can', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      // A session that verified a factor, say on the phone that was lost, outlives the reset.
      const { token } = await enrolTotp(t, member.email);
      assert.equal((await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id] }, org.masterToken)).statusCode, 200);
      t.clock.advance(1000);
      assert.equal((await call(t, 'POST', '/api/v1/me/reauthentication', { password: PASSWORD }, token)).statusCode, 200);
      // Begun before the administrator issues the code, a factor cannot be confirmed after.
      const begun = await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, token);
      assert.equal(begun.statusCode, 201, begun.body);
      const issued = await issue(member.id, org.masterToken);
      assert.equal(issued.statusCode, 201, issued.body);
      const { id, otpauthUri } = begun.json() as { id: string; otpauthUri: string };
      expectProblem(await call(t, 'POST', `/api/v1/me/factors/${id}/confirm`, { code: totpNow(t, seedOf(otpauthUri)) }, token), 403, 'setup_code_required');
      expectProblem(await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, token), 403, 'setup_code_required');
      assert.equal(await t.ctx.db.selectFrom('factors').select('id').where('member_id', '=', member.id).where('active', '=', 1).executeTakeFirst(), undefined);

      const tx = await readyToActivate(member.email);
      const done = await activateWith(tx.id, { setupCode: (issued.json() as { setupCode: string }).setupCode });
      assert.equal(done.statusCode, 200, done.body);
    });

    test('a set-up begun beside the one that activated cannot bind a factor after it', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const mine = await signInExpecting(t, member.email, 'setup');
      // Whoever else has the password begins a set-up at the same time.
      const theirs = await signInExpecting(t, member.email, 'setup');
      const factor = await bindTotp(t, mine.id);
      assert.equal((await confirm(t, mine.id, factor.factorId, totpNow(t, factor.seed))).statusCode, 200);
      assert.equal((await activateWith(mine.id)).statusCode, 200);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${theirs.id}/factors`, { type: 'totp' }), 410, 'transaction_expired');
      expectProblem(await activateWith(theirs.id), 410, 'transaction_expired');
      assert.deepEqual((await t.ctx.db.selectFrom('factors').select('id').where('member_id', '=', member.id).execute()).map((f) => f.id), [factor.factorId]);
    });

    test('once the member has a factor again, a password the old session gave before no longer counts', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const { token: lostPhone } = await enrolTotp(t, member.email);
      assert.equal((await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id] }, org.masterToken)).statusCode, 200);
      const issued = await issue(member.id, org.masterToken);
      t.clock.advance(1000);
      assert.equal((await call(t, 'POST', '/api/v1/me/reauthentication', { password: PASSWORD }, lostPhone)).statusCode, 200);
      // The member sets up with the code a minute later.
      t.clock.advance(60_000);
      const tx = await readyToActivate(member.email);
      assert.equal((await activateWith(tx.id, { setupCode: (issued.json() as { setupCode: string }).setupCode })).statusCode, 200);
      const mine = (await t.ctx.db.selectFrom('factors').select('id').where('member_id', '=', member.id).executeTakeFirstOrThrow()).id;
      t.clock.advance(60_000);
      expectProblem(await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, lostPhone), 403, 'reauthentication_required');
      expectProblem(await call(t, 'DELETE', `/api/v1/me/factors/${mine}`, undefined, lostPhone), 403, 'reauthentication_required');
      expectProblem(await call(t, 'POST', '/api/v1/me/reauthentication', { password: PASSWORD }, lostPhone), 400, 'method_not_allowed');
    });

    test('a member who need not use two-step verification adds factors from a session, a setup code pending or not', async () => {
      const org = await organizationWith(t, { technicians: 'none' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, member.email);
      assert.equal((await issue(member.id, org.masterToken)).statusCode, 201);
      assert.equal((await call(t, 'POST', '/api/v1/me/reauthentication', { password: PASSWORD }, token)).statusCode, 200);
      const added = await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, token);
      assert.equal(added.statusCode, 201, added.body);
      const { id, otpauthUri } = added.json() as { id: string; otpauthUri: string };
      assert.equal((await call(t, 'POST', `/api/v1/me/factors/${id}/confirm`, { code: totpNow(t, seedOf(otpauthUri)) }, token)).statusCode, 200);
    });

    if (engine === 'postgres') {
      test('a sign-in that begins while Activate commits verifies the new factor: it opens no second set-up', async () => {
        const org = await organizationWith(t, { technicians: 'all' });
        const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
        const mine = await readyToActivate(member.email);
        // A test transaction holds the set-up's row, so Activate waits holding the member's row.
        const lock = await holdRowLocks(t.ctx.db, (trx) => trx.selectFrom('transactions').select('id').where('id', '=', hashToken(mine.id)).forUpdate().execute());
        let activated: Promise<LightMyRequestResponse>;
        let theirs: ReturnType<typeof consoleSignIn>;
        try {
          activated = activateWith(mine.id);
          await lockWaiters(t.ctx.db, 1);
          theirs = consoleSignIn(t, member.email);
          await lockWaiters(t.ctx.db, 2);
        } finally {
          await lock.release();
        }
        assert.equal((await activated).statusCode, 200);
        const { body } = await theirs;
        assert.equal(body.state, 'verify');
      });
    }

    test('only a hash is stored; an expired code still holds the set-up back until a new one', async () => {
      const { org, member } = await resetTechnician();
      const { setupCode } = (await issue(member.id, org.masterToken)).json() as { setupCode: string };
      const row = await t.ctx.db.selectFrom('setup_codes').selectAll().where('member_id', '=', member.id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).toLowerCase().includes(setupCode.replaceAll('-', '')) && !JSON.stringify(row).includes(setupCode));

      t.clock.advance(72 * 3_600_000);
      const tx = await readyToActivate(member.email);
      expectProblem(await activateWith(tx.id, { setupCode }), 400, 'invalid_code');
      // The master's session of three days ago has ended; a new one issues the new code.
      const fresh = (await issue(member.id, await verifiedSessionToken(t, org.email))).json() as { setupCode: string };
      expectProblem(await activateWith(tx.id, { setupCode }), 400, 'invalid_code');
      assert.equal((await activateWith(tx.id, { setupCode: fresh.setupCode })).statusCode, 200);
    });

    test('two set-ups activating with the same code at once: exactly one succeeds and binds its factor', async () => {
      const { org, member } = await resetTechnician();
      const { setupCode } = (await issue(member.id, org.masterToken)).json() as { setupCode: string };
      const first = await readyToActivate(member.email);
      t.clock.advance(30_000);
      const second = await readyToActivate(member.email);
      const answers = await Promise.all([activateWith(first.id, { setupCode }), activateWith(second.id, { setupCode })]);
      const counts = codeCounts(answers);
      assert.equal(counts.ok, 1, JSON.stringify(counts));
      // The other finds the code used (counted as a wrong one), or its set-up ended by the first.
      assert.equal((counts.invalid_code ?? 0) + (counts.transaction_expired ?? 0), 1, JSON.stringify(counts));
      const factors = await t.ctx.db.selectFrom('factors').select('id').where('member_id', '=', member.id).where('active', '=', 1).execute();
      assert.equal(factors.length, 1);
    });

    test('a set-up started beside the one that used the code cannot activate after it without one', async () => {
      const { org, member } = await resetTechnician();
      const { setupCode } = (await issue(member.id, org.masterToken)).json() as { setupCode: string };
      const intruder = await readyToActivate(member.email);
      t.clock.advance(30_000);
      const own = await readyToActivate(member.email);
      assert.equal((await activateWith(own.id, { setupCode })).statusCode, 200);
      expectProblem(await activateWith(intruder.id), 410, 'transaction_expired');
    });

    test('who may issue one: those who may reset the member', async () => {
      const { org, group, member } = await resetTechnician();
      const assigned = await addMember(t, org, { role: 'administrator' });
      await assignGroup(t, assigned.id, group);
      const other = await addMember(t, org, { role: 'administrator' });
      assert.equal((await issue(member.id, await tokenFor(t, assigned.email))).statusCode, 201);
      expectProblem(await issue(member.id, await tokenFor(t, other.email)), 404, 'not_found');
      // A technician of the same group sees no other member.
      const peer = await addMember(t, org, { technicianGroupId: group });
      expectProblem(await issue(member.id, (await enrolTotp(t, peer.email)).token), 404, 'not_found');
      expectProblem(await issue(member.id, ''), 401, 'unauthenticated');
    });
  });
}
