/**
 * Housekeeping (services/housekeeping): records that have ended are deleted a day later, through the
 * real flows that write them; what members still use stays and keeps working; factors and recovery
 * codes of an epoch the organization has left go at once; on PostgreSQL a purge skips rows a request
 * holds instead of waiting for them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { KEPT_AFTER_END_MS, LONGEST_RATE_LIMIT_WINDOW_MS, purgeCutoffs } from '../../src/core/retention.ts';
import { firstIdAt, hashToken, newId } from '../../src/crypto/tokens.ts';
import { purgeEnded, PURGE_BATCH } from '../../src/services/housekeeping/purgeEnded.ts';
import { startHousekeeping } from '../../src/services/housekeeping/schedule.ts';
import { holdRowLocks } from '../support/postgres.ts';
import { hitRateLimit } from '../../src/storage/rateLimit.ts';
import { call, consoleSignIn, createTestApp, engines, PASSWORD, type TestApp } from '../support/harness.ts';
import { bindTotp, confirm, enrolTotp, seedOf, signInExpecting, signInWithTotp, totpNow } from '../twoStep/_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, requiredTechnician, saveSettings } from '../twoStep/_fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOTHING = {
  transactions: 0, sessions: 0, sentCodes: 0, pendingFactors: 0, staleFactors: 0, staleRecoveryCodes: 0, passwordResets: 0, rateLimitHits: 0, rateLimits: 0, auditEvents: 0, pushRecords: 0,
};

describe('when records may go (core/retention.ts)', () => {
  test('each kind is kept a day past the last moment it could be used', () => {
    const now = new Date('2026-06-10T00:00:00Z');
    const cut = purgeCutoffs(now, 24 * HOUR);
    const at = now.getTime();
    assert.equal(KEPT_AFTER_END_MS, DAY);
    assert.equal(cut.transactionsExpiredBefore, at - DAY);
    assert.equal(cut.sessionsCreatedBefore, at - DAY - 24 * HOUR);
    assert.equal(cut.sentCodesCreatedBefore, at - DAY - 10 * 60_000);
    assert.equal(cut.pendingFactorsCreatedBefore, at - DAY - 24 * HOUR);
    assert.equal(purgeCutoffs(now, HOUR).pendingFactorsCreatedBefore, at - DAY - HOUR);
    assert.equal(cut.linksExpiredBefore, at - DAY);
    assert.equal(cut.rateLimitWindowsStartedBefore, at - LONGEST_RATE_LIMIT_WINDOW_MS);
  });

  test('ids made at a time sort at or after that time\'s first id, and before the next millisecond\'s', () => {
    const before = firstIdAt(Date.now());
    const ids = Array.from({ length: 2000 }, () => newId());
    const after = firstIdAt(Date.now() + 1);
    for (const id of ids) {
      assert.ok(id >= before, `${id} < ${before}`);
      assert.ok(id < after, `${id} >= ${after}`);
    }
    assert.equal(firstIdAt(0), '00000000-0000-7000-8000-000000000000');
  });

  test('a rate limit cannot count over a window longer than housekeeping keeps its count', async () => {
    const t = await createTestApp();
    try {
      await assert.rejects(hitRateLimit(t.ctx.db, 'too-long', 5, LONGEST_RATE_LIMIT_WINDOW_MS + 1, t.clock.now()), RangeError);
      assert.equal((await hitRateLimit(t.ctx.db, 'longest', 5, LONGEST_RATE_LIMIT_WINDOW_MS, t.clock.now())).allowed, true);
    } finally {
      await t.close();
    }
  });
});

for (const engine of engines()) {
  describe(`housekeeping on ${engine}`, () => {
    // Row ids carry the real time, so the test clock starts at it.
    const fresh = () => createTestApp({ engine, start: new Date() });
    /** Rate-limited keys that last counted two days ago, written straight to the store. */
    const insertSpentCounts = async (t: TestApp, n: number): Promise<number> => {
      const rows = Array.from({ length: n }, (_, i) => ({ key: `spent:${i}`, last_counted_at: t.clock.now().getTime() - 2 * DAY }));
      for (let i = 0; i < n; i += 200) await t.ctx.db.insertInto('rate_limits').values(rows.slice(i, i + 200)).execute();
      return n;
    };
    const count = async (t: TestApp, table: 'transactions' | 'sessions' | 'sent_codes' | 'factors' | 'recovery_codes' | 'password_resets' | 'setup_codes' | 'rate_limits' | 'rate_limit_hits') =>
      Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    test('ended records go after a day; what members still use stays and keeps working', async () => {
      const t = await fresh();
      try {
        const { org, member } = await requiredTechnician(t);
        const group = await addGroup(t, org);
        // A member set up in an epoch the organization then leaves (a new primary method, and back).
        const leftBehind = await addMember(t, org, { technicianGroupId: group });
        await enrolTotp(t, leftBehind.email);
        await saveSettings(t, org.masterToken, { technicians: 'all', primaryMethod: 'sms' });
        await saveSettings(t, org.masterToken, { technicians: 'all', primaryMethod: 'totp' });
        const factor = await enrolTotp(t, member.email);
        const abandoned = await signInExpecting(t, member.email, 'verify');
        // A set-up left half done: a factor never confirmed and the code sent to it.
        const other = await addMember(t, org, { technicianGroupId: group });
        const setUp = await signInExpecting(t, other.email, 'setup');
        // The primary method confirmed first, as the set-up's order requires, then a backup left unconfirmed.
        const primaryTotp = await bindTotp(t, setUp.id);
        assert.equal((await confirm(t, setUp.id, primaryTotp.factorId, totpNow(t, primaryTotp.seed))).statusCode, 200);
        assert.equal((await call(t, 'POST', `/api/v1/transactions/${setUp.id}/factors`, { type: 'email', email: other.email })).statusCode, 201);
        // A wrong password is counted; a reset link and a setup code are never used (the code expires).
        assert.equal((await consoleSignIn(t, member.email, 'Not-The-Password-1')).response.statusCode, 401);
        assert.equal((await call(t, 'POST', '/api/v1/password-resets', { email: member.email })).statusCode, 202);
        for (let i = 0; i < 100 && await count(t, 'password_resets') === 0; i++) await sleep(10);
        assert.equal((await call(t, 'POST', `/api/v1/members/${other.id}/setup-code`, undefined, org.masterToken)).statusCode, 201);
        const before = {
          transactions: await count(t, 'transactions'), sessions: await count(t, 'sessions'), sentCodes: await count(t, 'sent_codes'),
          rateLimitKeys: new Set((await t.ctx.db.selectFrom('rate_limits').select('key').execute()).map((row) => row.key)),
        };
        assert.ok(before.transactions >= 5 && before.sessions >= 3 && before.sentCodes >= 1 && before.rateLimitKeys.size >= 1, JSON.stringify(before));

        // An hour on, only the left-behind epoch goes: everything else could still be asked about.
        t.clock.advance(HOUR);
        assert.deepEqual(await purgeEnded(t.ctx), { ...NOTHING, staleFactors: 1, staleRecoveryCodes: 10 });
        assert.equal(await t.ctx.db.selectFrom('factors').select('id').where('member_id', '=', leftBehind.id).executeTakeFirst(), undefined);
        assert.equal(await t.ctx.db.selectFrom('recovery_codes').select('id').where('member_id', '=', leftBehind.id).executeTakeFirst(), undefined);
        expectProblem(await call(t, 'GET', `/api/v1/transactions/${abandoned.id}`), 410, 'transaction_expired');

        // Ten days on, records made now stay beside those that have ended.
        t.clock.advance(10 * DAY);
        const session = await signInWithTotp(t, member.email, factor);
        const open = await signInExpecting(t, member.email, 'verify');
        const newSetUp = await signInExpecting(t, other.email, 'setup');
        const pending = await call(t, 'POST', `/api/v1/transactions/${newSetUp.id}/factors`, { type: 'totp' });
        assert.equal(pending.statusCode, 201, pending.body);
        assert.equal((await consoleSignIn(t, other.email, 'Not-The-Password-1')).response.statusCode, 401);

        const purged = await purgeEnded(t.ctx);
        assert.equal(purged.staleFactors + purged.staleRecoveryCodes, 0);
        assert.equal(purged.transactions, before.transactions, JSON.stringify(purged));
        assert.equal(purged.sessions, before.sessions);
        assert.equal(purged.sentCodes, before.sentCodes);
        // A count hit again today (the same client address, say) began a new window and stays; a
        // member's failures are forgotten when they sign in; every other old count went.
        const counts = await t.ctx.db.selectFrom('rate_limits').select(['key', 'last_counted_at']).execute();
        assert.ok(counts.every((row) => row.last_counted_at >= t.clock.now().getTime() - HOUR), JSON.stringify(counts));
        // Attempts counted ten days ago went; today's stay.
        assert.ok(purged.rateLimitHits >= 1, JSON.stringify(purged));
        const hits = await t.ctx.db.selectFrom('rate_limit_hits').select('counted_at').execute();
        assert.ok(hits.length >= 1 && hits.every((row) => row.counted_at >= t.clock.now().getTime() - HOUR), JSON.stringify(hits));
        assert.ok(purged.rateLimits >= 1 && purged.rateLimits <= before.rateLimitKeys.size - counts.filter((row) => before.rateLimitKeys.has(row.key)).length);
        // Both factors of the half-done set-up go: the confirmed primary and the unconfirmed backup.
        assert.deepEqual([purged.pendingFactors, purged.passwordResets], [2, 1]);

        const now = t.clock.now().getTime();
        const transactions = await t.ctx.db.selectFrom('transactions').select(['id', 'created_at']).execute();
        assert.ok(transactions.every((row) => row.created_at >= now - HOUR), 'only transactions begun now are left');
        assert.ok(transactions.some((row) => row.id === hashToken(open.id)) && transactions.some((row) => row.id === hashToken(newSetUp.id)));
        const sessions = await t.ctx.db.selectFrom('sessions').select('token_hash').execute();
        assert.deepEqual(sessions.map((row) => row.token_hash), [hashToken(session)]);
        // The set-up under way pairs its authenticator app first (the set-up's order): no code was sent to keep.
        assert.equal(await count(t, 'sent_codes'), 0);
        assert.deepEqual(
          (await t.ctx.db.selectFrom('factors').select(['id', 'active']).orderBy('active').execute()).map((row) => [row.id, row.active]),
          [[(pending.json() as { id: string }).id, 0], [factor.factorId, 1]],
        );
        assert.equal(await count(t, 'recovery_codes'), 10);
        assert.equal(await count(t, 'password_resets'), 0);

        // Nothing a member needs went: the old transaction is gone, the member signs in as before.
        expectProblem(await call(t, 'GET', `/api/v1/transactions/${abandoned.id}`), 404, 'not_found');
        // The expired setup code stays, and still holds the set-up back: the password alone does not
        // set the first factor up once the code has lapsed, however long ago.
        assert.equal(await count(t, 'setup_codes'), 1);
        const primary = await bindTotp(t, newSetUp.id);
        assert.equal((await confirm(t, newSetUp.id, primary.factorId, totpNow(t, primary.seed))).statusCode, 200);
        expectProblem(await call(t, 'POST', `/api/v1/transactions/${newSetUp.id}/activate`), 403, 'setup_code_required');
        assert.equal((await call(t, 'GET', '/api/v1/me', undefined, session)).statusCode, 200);
        await signInWithTotp(t, member.email, factor);
        assert.equal((await call(t, 'GET', `/api/v1/transactions/${open.id}`)).statusCode, 200);
        assert.deepEqual(await purgeEnded(t.ctx), NOTHING);
      } finally {
        await t.close();
      }
    });

    test('more ended records than one batch holds all go, a batch at a time', async () => {
      const t = await fresh();
      try {
        const spent = await insertSpentCounts(t, 2 * PURGE_BATCH + 7);
        await hitRateLimit(t.ctx.db, 'counting-now', 5, HOUR, t.clock.now());
        assert.equal((await purgeEnded(t.ctx)).rateLimits, spent);
        assert.deepEqual((await t.ctx.db.selectFrom('rate_limits').select('key').execute()).map((row) => row.key), ['counting-now']);
      } finally {
        await t.close();
      }
    });

    test('a server shutting down stops before the next batch', async () => {
      const t = await fresh();
      try {
        const spent = await insertSpentCounts(t, 3 * PURGE_BATCH);
        // Rate-limit counts go last, in four batches here (the fourth finds none): count the batches a
        // whole purge asks about, then stop one again two batches before its end.
        let asked = 0;
        assert.equal((await purgeEnded(t.ctx, { stopping: () => { asked++; return false; } })).rateLimits, spent);
        await insertSpentCounts(t, spent);
        let askedAgain = 0;
        const stopped = await purgeEnded(t.ctx, { stopping: () => ++askedAgain > asked - 2 });
        assert.equal(stopped.rateLimits, 2 * PURGE_BATCH);
        assert.equal(await count(t, 'rate_limits'), PURGE_BATCH);
        assert.deepEqual(await purgeEnded(t.ctx, { stopping: () => true }), NOTHING);
        assert.equal(await count(t, 'rate_limits'), PURGE_BATCH);
      } finally {
        await t.close();
      }
    });

    test('audit events older than their own organization keeps them go, a batch at a time; newer ones stay', async () => {
      const t = await fresh();
      try {
        const keepsAYear = await organizationWith(t);
        const keepsAMonth = await organizationWith(t);
        const saved = await call(t, 'PATCH', '/api/v1/organization/settings', { auditRetentionDays: 30 }, keepsAMonth.masterToken);
        assert.equal(saved.statusCode, 200, saved.body);
        const now = t.clock.now().getTime();
        const ages = { ancient: 400 * DAY, halfYear: 180 * DAY, sixWeeks: 42 * DAY, justKept: 30 * DAY - HOUR, recent: DAY };
        const insert = async (organizationId: string, age: keyof typeof ages, n = 1) => {
          const rows = Array.from({ length: n }, () => ({
            id: newId(), organization_id: organizationId, at: now - ages[age], actor_id: null, actor_name: 'Test', entity_type: 'member',
            entity_id: age, entity_name: age, change_type: 'View', details: null, ip: null,
          }));
          for (let i = 0; i < n; i += 200) await t.ctx.db.insertInto('audit_events').values(rows.slice(i, i + 200)).execute();
        };
        for (const org of [keepsAYear, keepsAMonth]) {
          for (const age of Object.keys(ages) as Array<keyof typeof ages>) await insert(org.organizationId, age);
        }
        // More than a batch of old ones in the organization that keeps a month.
        await insert(keepsAMonth.organizationId, 'halfYear', PURGE_BATCH + 10);
        const left = async (organizationId: string) => (await t.ctx.db.selectFrom('audit_events').select('entity_id')
          .where('organization_id', '=', organizationId).where('actor_name', '=', 'Test').execute()).map((e) => e.entity_id).sort();

        assert.deepEqual(await purgeEnded(t.ctx), { ...NOTHING, auditEvents: 1 + 3 + PURGE_BATCH + 10 });
        assert.deepEqual(await left(keepsAYear.organizationId), ['halfYear', 'justKept', 'recent', 'sixWeeks']);
        assert.deepEqual(await left(keepsAMonth.organizationId), ['justKept', 'recent']);
        // The organizations' own recent events (their set-up, the settings change) stay.
        const change = await t.ctx.db.selectFrom('audit_events').select('id').where('organization_id', '=', keepsAMonth.organizationId)
          .where('entity_type', '=', 'settings').execute();
        assert.equal(change.length, 1);
        assert.deepEqual(await purgeEnded(t.ctx), NOTHING);
      } finally {
        await t.close();
      }
    });

    test('a factor being paired from a session when everyone is reset stays, and can still be confirmed', async () => {
      const t = await fresh();
      try {
        const { org, member } = await requiredTechnician(t);
        const { token } = await enrolTotp(t, member.email);
        const added = await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, token);
        assert.equal(added.statusCode, 201, added.body);
        const pending = added.json() as { id: string; otpauthUri: string };
        await saveSettings(t, org.masterToken, { technicians: 'all', primaryMethod: 'sms' });
        assert.deepEqual(await purgeEnded(t.ctx), { ...NOTHING, staleFactors: 1, staleRecoveryCodes: 10 });
        // Verifying again counts only after the reset.
        t.clock.advance(1000);
        assert.equal((await call(t, 'POST', '/api/v1/me/reauthentication', { password: PASSWORD }, token)).statusCode, 200);
        const confirmed = await call(t, 'POST', `/api/v1/me/factors/${pending.id}/confirm`, { code: totpNow(t, seedOf(pending.otpauthUri)) }, token);
        assert.equal(confirmed.statusCode, 200, confirmed.body);
        assert.deepEqual(await purgeEnded(t.ctx), NOTHING);
        assert.equal((await t.ctx.db.selectFrom('factors').select('active').where('id', '=', pending.id).executeTakeFirstOrThrow()).active, 1);
      } finally {
        await t.close();
      }
    });

    test('recovery codes of a left epoch go even when their member kept no factor', async () => {
      const t = await fresh();
      try {
        const { org, member } = await requiredTechnician(t);
        const { factorId, token } = await enrolTotp(t, member.email);
        await saveSettings(t, org.masterToken, { technicians: 'none' });
        assert.equal((await call(t, 'DELETE', `/api/v1/me/factors/${factorId}`, undefined, token)).statusCode, 204);
        assert.equal(await count(t, 'recovery_codes'), 10);
        await saveSettings(t, org.masterToken, { technicians: 'none', primaryMethod: 'sms' });
        assert.deepEqual(await purgeEnded(t.ctx), { ...NOTHING, staleRecoveryCodes: 10 });
        assert.equal(await count(t, 'recovery_codes'), 0);
      } finally {
        await t.close();
      }
    });

    test('the server purges on its own timer and says what it deleted', async () => {
      const t = await fresh();
      const logged: Array<{ obj: object; msg?: string }> = [];
      try {
        await insertSpentCounts(t, 1);
        const housekeeping = startHousekeeping({ ...t.ctx, log: { ...t.ctx.log, info: (obj, msg) => logged.push({ obj, msg }) } }, { firstAfterMs: 0, everyMs: 60_000 });
        for (let i = 0; i < 200 && logged.length === 0; i++) await sleep(10);
        await housekeeping.stop();
        assert.deepEqual(logged, [{ obj: { rateLimits: 1 }, msg: 'housekeeping deleted ended records' }]);
        assert.equal(await count(t, 'rate_limits'), 0);
      } finally {
        await t.close();
      }
    });

    if (engine === 'postgres') {
      test('a row a request holds is skipped, not waited for, and goes next time', async () => {
        const t = await fresh();
        try {
          const { member } = await requiredTechnician(t);
          const held = await signInExpecting(t, member.email, 'setup');
          await signInExpecting(t, member.email, 'setup');
          t.clock.advance(2 * DAY);
          const lock = await holdRowLocks(t.ctx.db, (trx) => trx.selectFrom('transactions').select('id').where('id', '=', hashToken(held.id)).forUpdate().execute());
          let timer: NodeJS.Timeout | undefined;
          const purging = purgeEnded(t.ctx);
          try {
            const purged = await Promise.race([
              purging,
              new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the purge waited for a row a request holds')), 10_000); }),
            ]);
            assert.ok(purged.transactions >= 1, 'the other ended transactions went');
            assert.deepEqual((await t.ctx.db.selectFrom('transactions').select('id').execute()).map((r) => r.id), [hashToken(held.id)]);
          } finally {
            clearTimeout(timer);
            await lock.release();
            await purging;
          }
          assert.equal((await purgeEnded(t.ctx)).transactions, 1);
          assert.equal(await count(t, 'transactions'), 0);
        } finally {
          await t.close();
        }
      });
    }
  });
}
