/**
 * Threat: a stolen password tried against the second factor, or a session ended, leaving no trace in
 * the audit trail. Every wrong code counted against a sign-in or password change (a factor's or a
 * recovery code) is a `VerifyFailed` event about the member, with the attempts left and never the code;
 * the fifth also leaves `TransactionFailed`. The events commit with the count, so parallel wrong codes
 * leave exactly as many events as failures counted, and a refused attempt (a locked factor) leaves
 * none. A wrong code when verifying again inside a session is recorded too. Signing out leaves `SignOut`. The events are read as a master administrator reads them.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { PASSWORD, call, createTestApp, engines, tokenFor, type TestApp, type TransactionBody } from '../support/harness.ts';
import { enrolTotp, signInExpecting, verify, wrongTotp, type EnrolledTotp } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, requiredTechnician, transactionFailures, type MemberFixture, type OrgWithAdmin } from './_fixtures.ts';

interface Event {
  actor: { id: string | null; name: string };
  entityType: string;
  entityId: string;
  entityName: string;
  changeType: string;
  details: Record<string, unknown> | null;
}

/** A well-formed recovery code nobody was given. */
const WRONG_RECOVERY = (i: number): string => `zzzz-zzzz-zzzz-${String(i).padStart(4, '0')}`;

for (const engine of engines()) {
  describe(`security events in the audit trail on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    /** The events about `memberId`, oldest first, as the master administrator reads them. */
    async function eventsAbout(org: OrgWithAdmin, memberId: string, changeType?: string): Promise<Event[]> {
      const response = await call(t, 'GET', `/api/v1/audit-events?entityId=${memberId}&limit=200`, undefined, org.masterToken);
      assert.equal(response.statusCode, 200, response.body);
      const events = (response.json() as { items: Event[] }).items.reverse();
      return changeType ? events.filter((e) => e.changeType === changeType) : events;
    }

    async function enrolled(): Promise<{ org: OrgWithAdmin; member: MemberFixture; factor: EnrolledTotp }> {
      const { org, member } = await requiredTechnician(t);
      return { org, member, factor: await enrolTotp(t, member.email) };
    }

    function assertNoCodeIn(events: Event[], codes: string[]): void {
      const text = JSON.stringify(events.map((e) => e.details));
      for (const code of codes) assert.ok(!text.includes(code), `the code ${code} is in the trail`);
    }

    test('each wrong code leaves VerifyFailed with the attempts left, the fifth TransactionFailed, none the code', async () => {
      const { org, member, factor } = await enrolled();
      const tx = await signInExpecting(t, member.email, 'verify');
      const codes = [0, 1, 2, 3, 4].map((i) => wrongTotp(t, factor.seed, i));
      for (const [i, code] of codes.entries()) {
        const response = await verify(t, tx.id, factor.factorId, code);
        if (i < 4) assert.equal(expectProblem(response, 400, 'invalid_code').attemptsRemaining, 4 - i);
        else expectProblem(response, 410, 'transaction_failed');
      }

      const failed = await eventsAbout(org, member.id, 'VerifyFailed');
      assert.deepEqual(failed.map((e) => e.details), [4, 3, 2, 1, 0].map((attemptsRemaining) => ({
        factorId: factor.factorId, factorType: 'totp', purpose: 'sign_in', step: 'verify', client: 'technician-console', attemptsRemaining,
      })));
      for (const e of failed) {
        assert.deepEqual(
          { actor: e.actor, entityType: e.entityType, entityName: e.entityName },
          { actor: { id: null, name: 'Two-step verification' }, entityType: 'technician', entityName: `Member ${member.email.split('@')[0]}` },
        );
      }
      const ended = await eventsAbout(org, member.id, 'TransactionFailed');
      assert.deepEqual(ended.map((e) => e.details), [{ purpose: 'sign_in', step: 'verify', client: 'technician-console', failures: 5 }]);
      assertNoCodeIn(await eventsAbout(org, member.id), codes);

      // A failed transaction counts nothing more, and records nothing more.
      expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, 5)), 410, 'transaction_failed');
      assert.equal((await eventsAbout(org, member.id, 'VerifyFailed')).length, 5);
    });

    for (const parallel of [3, 8]) {
      test(`${parallel} parallel wrong codes leave as many VerifyFailed events as failures counted`, async () => {
        const { org, member, factor } = await enrolled();
        const tx = await signInExpecting(t, member.email, 'verify');
        const responses = await Promise.all(Array.from({ length: parallel }, (_, i) => verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i))));
        const counted = await transactionFailures(t, tx.id);
        assert.equal(counted, Math.min(parallel, 5));
        assert.equal(responses.filter((r) => r.json().code === 'invalid_code').length, Math.min(parallel, 4));
        const failed = await eventsAbout(org, member.id, 'VerifyFailed');
        assert.equal(failed.length, counted);
        const remaining = failed.map((e) => Number(e.details!.attemptsRemaining)).sort((a, b) => b - a);
        assert.deepEqual(remaining, Array.from({ length: counted }, (_, i) => 4 - i), 'each count recorded once');
        assert.equal((await eventsAbout(org, member.id, 'TransactionFailed')).length, parallel >= 5 ? 1 : 0);
      });
    }

    test('a wrong code in a password change is recorded with its purpose', async () => {
      const { org, member, factor } = await enrolled();
      const started = await call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'Another-Horse-42' }, factor.token);
      assert.equal(started.statusCode, 202, started.body);
      const tx = started.json() as TransactionBody;
      const code = wrongTotp(t, factor.seed);
      expectProblem(await verify(t, tx.id, factor.factorId, code), 400, 'invalid_code');
      const failed = await eventsAbout(org, member.id, 'VerifyFailed');
      assert.equal(failed.length, 1);
      assert.equal(failed[0]!.details!.purpose, 'password_change');
      assert.equal(failed[0]!.details!.attemptsRemaining, 4);
      assertNoCodeIn(failed, [code]);
    });

    test('wrong recovery codes are recorded like wrong factor codes, without the code', async () => {
      const { org, member } = await enrolled();
      const tx = await signInExpecting(t, member.email, 'verify');
      const recover = (code: string): Promise<LightMyRequestResponse> =>
        call(t, 'POST', `/api/v1/transactions/${tx.id}/recovery`, { code });
      const codes = [0, 1, 2, 3, 4].map(WRONG_RECOVERY);
      for (const code of codes.slice(0, 4)) expectProblem(await recover(code), 400, 'invalid_code');
      expectProblem(await recover(codes[4]!), 410, 'transaction_failed');

      const failed = await eventsAbout(org, member.id, 'VerifyFailed');
      assert.deepEqual(failed.map((e) => e.details), [4, 3, 2, 1, 0].map((attemptsRemaining) => ({
        factorId: null, factorType: 'recovery_code', purpose: 'sign_in', step: 'verify', client: 'technician-console', attemptsRemaining,
      })));
      assert.equal((await eventsAbout(org, member.id, 'TransactionFailed')).length, 1);
      assertNoCodeIn(await eventsAbout(org, member.id), codes);
    });

    test('a code refused because the factor is locked counts nothing and records nothing', async () => {
      const { org, member, factor } = await enrolled();
      for (let round = 0; round < 2; round++) {
        const tx = await signInExpecting(t, member.email, 'verify');
        for (let i = 0; i < 5; i++) await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed, i));
      }
      assert.equal((await eventsAbout(org, member.id, 'VerifyFailed')).length, 10);
      const tx = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed)), 423, 'factor_locked');
      assert.equal(await transactionFailures(t, tx.id), 0);
      assert.equal((await eventsAbout(org, member.id, 'VerifyFailed')).length, 10);
    });

    test('a wrong code when verifying again inside a session is recorded too, without the code', async () => {
      const { org, member, factor } = await enrolled();
      const code = wrongTotp(t, factor.seed);
      const response = await call(t, 'POST', '/api/v1/me/reauthentication', { factorId: factor.factorId, code }, factor.token);
      expectProblem(response, 400, 'invalid_code');
      const failed = await eventsAbout(org, member.id, 'VerifyFailed');
      assert.deepEqual(failed.map((e) => e.details), [{ factorId: factor.factorId, factorType: 'totp', purpose: 'reauthenticate', client: 'technician-console' }]);
      assertNoCodeIn(failed, [code]);
    });

    test('signing out leaves SignOut by the member, once', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, member.email);
      const out = await call(t, 'POST', '/api/v1/sign-out', undefined, token);
      assert.equal(out.statusCode, 204, out.body);
      assert.equal((await call(t, 'POST', '/api/v1/sign-out', undefined, token)).statusCode, 401, 'the session has ended');

      const signOuts = await eventsAbout(org, member.id, 'SignOut');
      assert.deepEqual(signOuts.map((e) => ({ actor: e.actor, entityType: e.entityType, details: e.details })), [{
        actor: { id: member.id, name: `Member ${member.email.split('@')[0]}` }, entityType: 'technician',
        details: { client: 'technician-console', clientVersion: null },
      }]);
    });
  });
}
