/**
 * On PostgreSQL a right code completes a plain sign-in in one statement
 * (src/services/signIn/completeInOneStatement.ts); on SQLite, and on PostgreSQL whenever that
 * statement consumed nothing, the statements run one by one. Either way the same rows come out: the
 * code consumed, the factor's failures cleared, the transaction complete, a session, the member's last
 * sign-in and the audit event; and a code that cannot complete the sign-in changes none of them.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken } from '../../src/crypto/tokens.ts';
import { totpStepAt } from '../../src/methods/totp.ts';
import { completeSignInInOneStatement } from '../../src/services/signIn/completeInOneStatement.ts';
import { findTransactionForStep } from '../../src/services/signIn/transactionRecord.ts';
import { TwofoldError } from '../../src/core/errors.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { signInExpecting, totpNow, verify } from './_factors.ts';
import { expectProblem, factorRow, technicianWithTotp, transactionFailures } from './_fixtures.ts';
import { queriesDuring } from './_statements.ts';

for (const engine of engines()) {
  describe(`a right code's writes on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const sessionsOf = (memberId: string) => t.ctx.db.selectFrom('sessions').selectAll().where('member_id', '=', memberId).execute();
    const signInEventsOf = (memberId: string) => t.ctx.db.selectFrom('audit_events').selectAll()
      .where('entity_id', '=', memberId).where('change_type', '=', 'SignIn').execute();
    const transactionRow = (id: string) => t.ctx.db.selectFrom('transactions').selectAll().where('id', '=', hashToken(id)).executeTakeFirstOrThrow();

    test('a right code: consumed, failures cleared, complete, a session, the last sign-in and the audit event', async () => {
      const { org, member, totp } = await technicianWithTotp(t);
      const { name } = await t.ctx.db.selectFrom('members').select('name').where('id', '=', member.id).executeTakeFirstOrThrow();
      // A wrong code first, so clearing the factor's failures has something to clear.
      const tx = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, tx.id, totp.factorId, totpNow(t, totp.seed, 5)), 400, 'invalid_code');
      assert.equal((await factorRow(t, totp.factorId)).failures, 1);
      const sessionsBefore = (await sessionsOf(member.id)).length;
      const now = t.clock.now().getTime();

      let token = '';
      const statements = await queriesDuring(t, async () => {
        const done = await verify(t, tx.id, totp.factorId, totpNow(t, totp.seed));
        assert.equal(done.statusCode, 200, done.body);
        token = done.json().session.token;
      });
      if (engine === 'postgres') {
        // The member's lock, the read of the transaction and its factor, and the one statement that writes.
        assert.equal(statements.length, 3, statements.join('\n'));
        assert.match(statements[2]!, /^with "consumed" as \(update "factors"/);
      } else {
        assert.ok(statements.every((sql) => !/^with/i.test(sql)), statements.join('\n'));
      }

      const factor = await factorRow(t, totp.factorId);
      assert.equal(factor.last_step, totpStepAt(t.clock.now()));
      assert.equal(factor.failures, 0);
      const row = await transactionRow(tx.id);
      assert.equal(row.state, 'complete');
      assert.equal(row.completed_at, now);
      const sessions = await sessionsOf(member.id);
      assert.equal(sessions.length, sessionsBefore + 1);
      const session = sessions.find((s) => s.token_hash === hashToken(token));
      assert.ok(session, 'the session answered is the one stored');
      assert.equal(session.organization_id, org.organizationId);
      assert.equal(session.client_kind, 'technician-console');
      assert.equal(session.created_at, now);
      assert.equal(session.last_seen_at, now);
      assert.equal(session.reauthenticated_at, now);
      assert.equal(session.expires_at, now + t.ctx.settings.sessionMaxMs);
      assert.equal(session.revoked_at, null);
      assert.equal(session.ip, row.ip);
      const memberRow = await t.ctx.db.selectFrom('members').select('last_sign_in_at').where('id', '=', member.id).executeTakeFirstOrThrow();
      assert.equal(memberRow.last_sign_in_at, now);
      const events = (await signInEventsOf(member.id)).filter((e) => e.at === now);
      assert.equal(events.length, 1);
      assert.deepEqual(JSON.parse(events[0]!.details!), { client: 'technician-console', clientVersion: row.client_version });
      assert.equal(events[0]!.actor_id, member.id);
      assert.equal(events[0]!.actor_name, name);
      assert.equal(events[0]!.organization_id, org.organizationId);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).statusCode, 200);
    });

    test('a right code for a locked factor: factor_locked, and nothing is consumed, counted, completed or issued', async () => {
      const { member, totp } = await technicianWithTotp(t);
      const tx = await signInExpecting(t, member.email, 'verify');
      const lockedUntil = t.clock.now().getTime() + 15 * 60_000;
      await t.ctx.db.updateTable('factors').set({ failures: 10, locked_until: lockedUntil }).where('id', '=', totp.factorId).execute();
      const factorBefore = await factorRow(t, totp.factorId);
      const sessionsBefore = (await sessionsOf(member.id)).length;
      const eventsBefore = (await signInEventsOf(member.id)).length;

      expectProblem(await verify(t, tx.id, totp.factorId, totpNow(t, totp.seed)), 423, 'factor_locked');
      assert.deepEqual(await factorRow(t, totp.factorId), factorBefore);
      assert.equal(await transactionFailures(t, tx.id), 0);
      assert.equal((await transactionRow(tx.id)).state, 'verify');
      assert.equal((await sessionsOf(member.id)).length, sessionsBefore);
      assert.equal((await signInEventsOf(member.id)).length, eventsBefore);
    });

    test('a replayed code: counted as wrong, and nothing is completed or issued', async () => {
      const { member, totp } = await technicianWithTotp(t);
      const code = totpNow(t, totp.seed);
      const first = await signInExpecting(t, member.email, 'verify');
      assert.equal((await verify(t, first.id, totp.factorId, code)).statusCode, 200);
      const sessionsBefore = (await sessionsOf(member.id)).length;
      const factorBefore = await factorRow(t, totp.factorId);

      const second = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, second.id, totp.factorId, code), 400, 'invalid_code');
      assert.equal(await transactionFailures(t, second.id), 1);
      assert.equal((await transactionRow(second.id)).state, 'verify');
      const factorAfter = await factorRow(t, totp.factorId);
      assert.equal(factorAfter.last_step, factorBefore.last_step);
      assert.equal(factorAfter.failures, factorBefore.failures + 1);
      assert.equal((await sessionsOf(member.id)).length, sessionsBefore);
    });

    if (engine === 'postgres') {
      test('a transaction closed after it was read: why is thrown, and the code\'s consumption is undone with it', async () => {
        const { member, totp } = await technicianWithTotp(t);
        const tx = await signInExpecting(t, member.email, 'verify');
        const sessionsBefore = (await sessionsOf(member.id)).length;
        const factorBefore = await factorRow(t, totp.factorId);
        const step = totpStepAt(t.clock.now());
        await assert.rejects(t.ctx.db.transaction().execute(async (trx) => {
          const read = await findTransactionForStep(trx, tx.id, null, totp.factorId);
          // Another request ends it in between (here: it expires).
          await trx.updateTable('transactions').set({ expires_at: t.clock.now().getTime() - 1 }).where('id', '=', read.row.id).execute();
          await completeSignInInOneStatement(t.ctx, trx, read.row, read.factor!, step, read.member);
        }), (error: unknown) => error instanceof TwofoldError && error.code === 'transaction_expired');
        assert.deepEqual(await factorRow(t, totp.factorId), factorBefore);
        assert.equal((await transactionRow(tx.id)).state, 'verify');
        assert.equal((await sessionsOf(member.id)).length, sessionsBefore);
      });
    }
  });
}
