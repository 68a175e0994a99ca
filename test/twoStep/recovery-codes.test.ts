/**
 * Threat: a member who lost their phone is locked out, and the only way back is an administrator, or
 * a way back that is weaker than the factor it replaces. docs/security.md S10 (NIST SP 800-63B-4 §4.2.1):
 * recovery codes of at least 64 random bits, stored hashed, single use, rate limited, use notified.
 * docs/security.md S2: 20 parallel submissions of one code give exactly one success; wrong codes count
 * against the transaction's five failures like wrong factor codes. docs/security.md S28: a new set needs a
 * recent verification. Codes go with a reset (docs/security.md S29) and with a new epoch, like factors.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { hashRecoveryCode, normalizeRecoveryCode } from '../../src/crypto/recoveryCodes.ts';
import { PASSWORD, call, consoleSignIn, createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { bindTotp, confirm, seedOf, signInExpecting, totpNow, verify, wrongTotp, type EnrolledTotp } from './_factors.ts';
import {
  addGroup, addMember, callFrom, codeCounts, expectProblem, organizationWith, saveSettings, sentTo, transactionFailures, type OrgWithAdmin,
} from './_fixtures.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FORMAT = /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/;
/** A well-formed code nobody was given. */
const WRONG = (i: number): string => `zzzz-zzzz-zzzz-${String(i).padStart(4, '0')}`;

interface Verifying extends TransactionBody { recoveryAvailable?: boolean }

for (const engine of engines()) {
  describe(`recovery codes on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const recover = (transactionId: string, code: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
      call(t, 'POST', `/api/v1/transactions/${transactionId}/recovery`, { code }, undefined, headers);

    /** A technician who must use two-step verification sets TOTP up; returns the activation answer too. */
    async function enrolled(org?: OrgWithAdmin) {
      const organization = org ?? await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, organization, { technicianGroupId: await addGroup(t, organization) });
      const tx = await signInExpecting(t, member.email, 'setup');
      const pending = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      const activated = await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`);
      assert.equal(activated.statusCode, 200, activated.body);
      t.clock.advance(30_000);
      const body = activated.json() as TransactionBody & { recoveryCodes: string[] };
      const factor: EnrolledTotp = { factorId: pending.factorId, seed: pending.seed, token: body.session!.token! };
      return { org: organization, member, factor, codes: body.recoveryCodes, activated };
    }

    const storedCodes = (memberId: string) =>
      t.ctx.db.selectFrom('recovery_codes').selectAll().where('member_id', '=', memberId).orderBy('id').execute();

    test('activation returns ten codes once, uncached; the sign-in then offers recovery', async () => {
      const { member, factor, codes, activated } = await enrolled();
      assert.equal(activated.headers['cache-control'], 'no-store');
      assert.equal(codes.length, 10);
      for (const code of codes) assert.match(code, FORMAT);
      assert.equal(new Set(codes).size, 10);

      const status = await call(t, 'GET', '/api/v1/me/recovery-codes', undefined, factor.token);
      assert.equal(status.statusCode, 200, status.body);
      assert.deepEqual(Object.keys(status.json()).sort(), ['createdAt', 'remaining'], 'never the codes');
      assert.equal(status.json().remaining, 10);
      assert.equal(status.json().createdAt, new Date(t.clock.now().getTime() - 30_000).toISOString());

      const tx = await signInExpecting(t, member.email, 'verify') as Verifying;
      assert.equal(tx.recoveryAvailable, true);
      assert.equal((await call(t, 'GET', `/api/v1/transactions/${tx.id}`)).json().recoveryCodes, undefined, 'shown only at activation');
    });

    test('a code signs in once, from any client, even the Technician Console 7.50.3572; a second use is a wrong code', async () => {
      const { member, codes } = await enrolled();
      const tx = await signInExpecting(t, member.email, 'verify', '7.50.3572');
      const done = await recover(tx.id, codes[3]!.toUpperCase());
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().state, 'complete');
      assert.ok(done.json().session.token, 'a console session');
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, done.json().session.token)).statusCode, 200);

      const again = await signInExpecting(t, member.email, 'verify');
      const body = expectProblem(await recover(again.id, codes[3]!), 400, 'invalid_code');
      assert.equal(body.attemptsRemaining, 4);
      const used = (await storedCodes(member.id)).filter((c) => c.used_at !== null);
      assert.equal(used.length, 1);
      assert.equal(used[0]!.code_hash, hashRecoveryCode(codes[3]!));
    });

    test('20 parallel submissions of one code on 20 sign-ins: exactly one succeeds', async () => {
      const { member, codes } = await enrolled();
      const txs: TransactionBody[] = [];
      for (let i = 0; i < 20; i++) txs.push(await signInExpecting(t, member.email, 'verify'));
      const responses = await Promise.all(txs.map((tx) => recover(tx.id, codes[0]!)));
      // The hourly limit admits ten attempts; of those one uses the code and nine find it used.
      assert.deepEqual(codeCounts(responses), { ok: 1, invalid_code: 9, rate_limited: 10 });
      const failures = await Promise.all(txs.map((tx) => transactionFailures(t, tx.id)));
      assert.equal(failures.filter((n) => n === 1).length, 9, 'each wrong answer counted once on its own transaction');
      assert.equal((await storedCodes(member.id)).filter((c) => c.used_at !== null).length, 1);
      const uses = await t.ctx.db.selectFrom('audit_events').select('id')
        .where('entity_id', '=', member.id).where('change_type', '=', 'Use').execute();
      assert.equal(uses.length, 1, 'one use audited');
    });

    test('wrong recovery codes count against the five failures, together with wrong factor codes', async () => {
      const { member, factor, codes } = await enrolled();
      const tx = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed)), 400, 'invalid_code');
      for (const left of [3, 2, 1]) {
        assert.equal(expectProblem(await recover(tx.id, WRONG(left)), 400, 'invalid_code').attemptsRemaining, left);
      }
      expectProblem(await recover(tx.id, 'not-a-code'), 410, 'transaction_failed');
      assert.equal(await transactionFailures(t, tx.id), 5);
      // The right code does nothing now, and is not used up.
      expectProblem(await recover(tx.id, codes[0]!), 410, 'transaction_failed');
      assert.equal((await storedCodes(member.id)).filter((c) => c.used_at !== null).length, 0);
      assert.equal(expectProblem(await call(t, 'GET', `/api/v1/transactions/${tx.id}`), 410, 'transaction_failed').state, 'failed');
    });

    test('at most ten recovery attempts per member and hour', async () => {
      const { member, codes } = await enrolled();
      for (let round = 0; round < 2; round++) {
        const tx = await signInExpecting(t, member.email, 'verify');
        for (let i = 0; i < 5; i++) await recover(tx.id, WRONG(round * 5 + i));
      }
      const tx = await signInExpecting(t, member.email, 'verify');
      const limited = expectProblem(await recover(tx.id, codes[0]!), 429, 'rate_limited');
      assert.ok(Number(limited.retryAfterSeconds) > 0);
      assert.equal(await transactionFailures(t, tx.id), 0, 'a refused attempt is not tried');
      t.clock.advance(HOUR);
      const later = await signInExpecting(t, member.email, 'verify');
      assert.equal((await recover(later.id, codes[0]!)).statusCode, 200);
    });

    test('the member\'s record shows the recovery limit reached, and whoever may unlock the member ends it', async () => {
      const { org, member, codes } = await enrolled();
      const tenWrong = async (from: number) => {
        for (let round = 0; round < 2; round++) {
          const tx = await signInExpecting(t, member.email, 'verify');
          for (let i = 0; i < 5; i++) await recover(tx.id, WRONG(from + round * 5 + i));
        }
      };
      const recoveryLock = async () => ((await call(t, 'GET', `/api/v1/members/${member.id}`, undefined, org.masterToken)).json() as { recoveryLock: { lockedUntil: string } | null }).recoveryLock;
      const unlock = async (what: string) => {
        const response = await call(t, 'POST', `/api/v1/members/${member.id}/unlock`, { what }, org.masterToken);
        assert.equal(response.statusCode, 200, response.body);
        return (response.json() as { recoveryLock: unknown }).recoveryLock;
      };
      assert.equal(await recoveryLock(), null);
      await tenWrong(0);
      const lock = await recoveryLock();
      assert.ok(lock !== null && Date.parse(lock.lockedUntil) > t.clock.now().getTime(), JSON.stringify(lock));
      assert.notEqual(await unlock('password'), null, 'only what was asked');
      assert.notEqual(await unlock('factors'), null, 'only what was asked');
      assert.equal(await unlock('all'), null);
      assert.equal((await recover((await signInExpecting(t, member.email, 'verify')).id, codes[0]!)).statusCode, 200);

      await tenWrong(10);
      expectProblem(await recover((await signInExpecting(t, member.email, 'verify')).id, codes[1]!), 429, 'rate_limited');
      assert.equal(await unlock('recovery'), null);
      assert.equal((await recover((await signInExpecting(t, member.email, 'verify')).id, codes[1]!)).statusCode, 200);
    });

    test('at most fifty recovery attempts per client IP and hour, across members; a refused one counts for nobody', async () => {
      const ip = '203.0.113.60';
      const fromIp = (transactionId: string, code: string, from = ip) => callFrom(t, from, 'POST', `/api/v1/transactions/${transactionId}/recovery`, { code });
      const org = await organizationWith(t, { technicians: 'all' });
      // Five members, ten wrong codes each (two transactions of five), all from one address: 50.
      for (let m = 0; m < 5; m++) {
        const { member } = await enrolled(org);
        for (let round = 0; round < 2; round++) {
          const tx = await signInExpecting(t, member.email, 'verify');
          for (let i = 0; i < 5; i++) assert.notEqual((await fromIp(tx.id, WRONG(i))).statusCode, 429, `member ${m}, round ${round}, try ${i}`);
        }
      }
      const { member, codes } = await enrolled(org);
      const tx = await signInExpecting(t, member.email, 'verify');
      expectProblem(await fromIp(tx.id, codes[0]!), 429, 'rate_limited');
      assert.equal(await transactionFailures(t, tx.id), 0, 'a refused attempt is not tried');
      const counted = await t.ctx.db.selectFrom('rate_limit_hits').select('id').where('key', '=', `recovery:${member.id}`).executeTakeFirst();
      assert.equal(counted, undefined, 'the refusal counted nothing against the member');
      // Another address is not held back by this one.
      assert.equal((await fromIp(tx.id, codes[0]!, '198.51.100.60')).statusCode, 200);
    });

    test('a use is audited and the member told which organization, when, and how many are left', async () => {
      const { member, codes } = await enrolled(await organizationWith(t, { technicians: 'all' }, 'Harbor Repairs'));
      const notices = sentTo(t, member.email).length;
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.equal((await recover(tx.id, codes[0]!)).statusCode, 200);
      const sent = sentTo(t, member.email);
      assert.equal(sent.length, notices + 1);
      const notice = sent.at(-1)!;
      assert.equal(notice.channel, 'email');
      assert.match(notice.subject, /Harbor Repairs: a recovery code was used/);
      assert.ok(notice.text.includes('9 recovery codes are left'), notice.text);
      assert.ok(notice.text.includes(`${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(t.clock.now())} UTC`), notice.text);
      assert.match(notice.text, /If this was not you/);
      for (const code of codes) assert.ok(!notice.text.includes(code), 'no code in the notice');

      const audit = await t.ctx.db.selectFrom('audit_events').selectAll()
        .where('entity_type', '=', 'recovery_codes').where('entity_id', '=', member.id).orderBy('at').execute();
      assert.deepEqual(audit.map((a) => a.change_type), ['Add', 'Use']);
      assert.equal(JSON.parse(audit[1]!.details!).remaining, 9);
      assert.equal(audit[1]!.actor_id, member.id);
    });

    test('a website password change completes with a code, bound to the browser like every step', async () => {
      const { member, factor, codes } = await enrolled();
      const started = await call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'Another-Horse-42' }, factor.token);
      assert.equal(started.statusCode, 202, started.body);
      const done = await recover(started.json().id, codes[1]!);
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().purpose, 'password_change');
      assert.equal((await consoleSignIn(t, member.email, 'Another-Horse-42')).response.statusCode, 200);

      const website = await call(t, 'POST', '/api/v1/sign-in', { email: member.email, password: 'Another-Horse-42', client: { kind: 'website' } });
      const binding = /twofold_tx=([^;]+)/.exec(String(website.headers['set-cookie']))?.[1];
      assert.ok(binding);
      expectProblem(await recover(website.json().id, codes[2]!), 404, 'not_found');
      const signedIn = await recover(website.json().id, codes[2]!, { cookie: `twofold_tx=${binding}`, origin: 'http://localhost:80' });
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      assert.match(String(signedIn.headers['set-cookie']), /twofold_session=/);
      assert.equal(signedIn.json().session.token, undefined, 'the website gets its session as a cookie');
    });

    test('a new set needs a recent verification, replaces the old one, and is told and audited', async () => {
      const { member, factor, codes } = await enrolled();
      t.clock.advance(10 * MINUTE);
      expectProblem(await call(t, 'POST', '/api/v1/me/recovery-codes', undefined, factor.token), 403, 'reauthentication_required');
      const again = await call(t, 'POST', '/api/v1/me/reauthentication', { factorId: factor.factorId, code: totpNow(t, factor.seed) }, factor.token);
      assert.equal(again.statusCode, 200, again.body);

      const notices = sentTo(t, member.email).length;
      const issued = await call(t, 'POST', '/api/v1/me/recovery-codes', undefined, factor.token);
      assert.equal(issued.statusCode, 201, issued.body);
      assert.equal(issued.headers['cache-control'], 'no-store');
      const fresh = issued.json().recoveryCodes as string[];
      assert.equal(fresh.length, 10);
      for (const code of fresh) assert.match(code, FORMAT);
      assert.equal(fresh.filter((c) => codes.includes(c)).length, 0);
      assert.equal(sentTo(t, member.email).length, notices + 1);
      assert.match(sentTo(t, member.email).at(-1)!.subject, /new recovery codes/);
      const audit = await t.ctx.db.selectFrom('audit_events').select(['change_type', 'details'])
        .where('entity_type', '=', 'recovery_codes').where('entity_id', '=', member.id).orderBy('at').execute();
      assert.deepEqual(audit.map((a) => [a.change_type, JSON.parse(a.details!).during]), [['Add', 'setup'], ['Add', 'session']]);
      assert.equal((await storedCodes(member.id)).length, 10, 'the old set is gone');

      t.clock.advance(30_000);
      const tx = await signInExpecting(t, member.email, 'verify');
      expectProblem(await recover(tx.id, codes[0]!), 400, 'invalid_code');
      assert.equal((await recover(tx.id, fresh[0]!)).statusCode, 200);
      assert.equal((await call(t, 'GET', '/api/v1/me/recovery-codes', undefined, factor.token)).json().remaining, 9);
    });

    test('a two-step reset deletes them', async () => {
      const { org, member, codes } = await enrolled();
      const reset = await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id], reason: 'lost phone' }, org.masterToken);
      assert.equal(reset.statusCode, 200, reset.body);
      assert.equal((await storedCodes(member.id)).length, 0);
      const tx = await signInExpecting(t, member.email, 'setup');
      expectProblem(await recover(tx.id, codes[0]!), 409, 'transaction_state');
    });

    test('a new primary method (a new epoch) retires them, even once a new factor is added', async () => {
      const { org, member, factor, codes } = await enrolled();
      await saveSettings(t, org.masterToken, { technicians: 'all', primaryMethod: 'email' });
      assert.equal((await call(t, 'GET', '/api/v1/me/recovery-codes', undefined, factor.token)).json().remaining, 0);
      const setup = await signInExpecting(t, member.email, 'setup');
      expectProblem(await recover(setup.id, codes[0]!), 409, 'transaction_state');

      // A moment later, from the session, with no factor to verify again with in the new epoch, the
      // member gives the password, then adds TOTP again.
      t.clock.advance(1_000);
      assert.equal((await call(t, 'POST', '/api/v1/me/reauthentication', { password: PASSWORD }, factor.token)).statusCode, 200);
      const added = await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, factor.token);
      assert.equal(added.statusCode, 201, added.body);
      const seed = seedOf(added.json().otpauthUri);
      const confirmed = await call(t, 'POST', `/api/v1/me/factors/${added.json().id}/confirm`, { code: totpNow(t, seed) }, factor.token);
      assert.equal(confirmed.statusCode, 200, confirmed.body);

      const tx = await signInExpecting(t, member.email, 'verify') as Verifying;
      assert.equal(tx.recoveryAvailable, false);
      expectProblem(await recover(tx.id, codes[0]!), 400, 'invalid_code');
      assert.equal((await storedCodes(member.id)).filter((c) => c.used_at !== null).length, 0);
    });

    test('without a factor there is nothing to stand in for: no codes can be made', async () => {
      const org = await organizationWith(t);
      expectProblem(await call(t, 'POST', '/api/v1/me/recovery-codes', undefined, org.masterToken), 409, 'conflict');
      assert.deepEqual((await call(t, 'GET', '/api/v1/me/recovery-codes', undefined, org.masterToken)).json(), { remaining: 0, createdAt: null });
    });

    test('the database holds no code, only SHA-256 hashes of them', async () => {
      const { member, factor, codes } = await enrolled();
      const again = await call(t, 'POST', '/api/v1/me/reauthentication', { factorId: factor.factorId, code: totpNow(t, factor.seed) }, factor.token);
      assert.equal(again.statusCode, 200, again.body);
      const fresh = (await call(t, 'POST', '/api/v1/me/recovery-codes', undefined, factor.token)).json().recoveryCodes as string[];
      const forms = [...codes, ...fresh].flatMap((code) => [code, normalizeRecoveryCode(code)!]);

      const rows = await storedCodes(member.id);
      assert.equal(rows.length, 10);
      assert.deepEqual(rows.map((r) => r.code_hash).sort(), fresh.map(hashRecoveryCode).sort());
      const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('organization_id', '=', rows[0]!.organization_id).execute();
      const stored = [...rows, ...audit].flatMap((row) => Object.values(row).map(String));
      for (const value of stored) {
        for (const form of forms) assert.ok(!value.toLowerCase().includes(form.toLowerCase()), `a code in the database: ${value}`);
      }
      for (const row of rows) assert.match(row.code_hash, /^[0-9a-f]{64}$/);
    });
  });
}
