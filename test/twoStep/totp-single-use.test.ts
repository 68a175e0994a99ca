/**
 * Threat: replaying a TOTP code. docs/security.md S1 (RFC 6238 §5.2; NIST §3.1.4.2; ASVS 6.5.1): each
 * code is accepted once; the last accepted time step is remembered per factor and any step at or
 * before it is refused. docs/security.md S2 (ASVS 15.4.2): single use holds under concurrency, so 20
 * parallel submissions of one valid code give exactly one success.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { totpStepAt } from '../../src/methods/totp.ts';
import { createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { enrolTotp, signInExpecting, totpNow, verify } from './_factors.ts';
import { addGroup, addMember, codeCounts, expectProblem, factorRow, organizationWith } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`TOTP single use on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function enrolledTechnician() {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      return { member, factor: await enrolTotp(t, member.email) };
    }

    const sessionCount = async (memberId: string): Promise<number> =>
      Number((await t.ctx.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n);

    test('a time step is accepted once, also by another sign-in', async () => {
      const { member, factor } = await enrolledTechnician();
      const code = totpNow(t, factor.seed);
      const first = await signInExpecting(t, member.email, 'verify');
      const ok = await verify(t, first.id, factor.factorId, code);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((await factorRow(t, factor.factorId)).last_step, totpStepAt(t.clock.now()));

      const second = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, second.id, factor.factorId, code), 400, 'invalid_code');
      // The next step's code is fine.
      t.clock.advance(30_000);
      const next = await verify(t, second.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(next.statusCode, 200, next.body);
    });

    test('a step at or before the last accepted one is refused, even inside the window', async () => {
      const { member, factor } = await enrolledTechnician();
      // Accept the code of the next step (allowed: current ±1)...
      const first = await signInExpecting(t, member.email, 'verify');
      assert.equal((await verify(t, first.id, factor.factorId, totpNow(t, factor.seed, +1))).statusCode, 200);
      const accepted = (await factorRow(t, factor.factorId)).last_step;
      assert.equal(accepted, totpStepAt(t.clock.now()) + 1);

      // ...then the current step's code, though within ±1, comes before it: refused.
      const second = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verify(t, second.id, factor.factorId, totpNow(t, factor.seed)), 400, 'invalid_code');
      expectProblem(await verify(t, second.id, factor.factorId, totpNow(t, factor.seed, +1)), 400, 'invalid_code');
      assert.equal((await factorRow(t, factor.factorId)).last_step, accepted, 'a refused code moves nothing');

      t.clock.advance(60_000);
      const later = await verify(t, second.id, factor.factorId, totpNow(t, factor.seed));
      assert.equal(later.statusCode, 200, later.body);
    });

    test('20 parallel submissions of one valid code in one sign-in: exactly one success', async () => {
      const { member, factor } = await enrolledTechnician();
      const sessionsBefore = await sessionCount(member.id);
      const tx = await signInExpecting(t, member.email, 'verify');
      const code = totpNow(t, factor.seed);
      const responses = await Promise.all(Array.from({ length: 20 }, () => verify(t, tx.id, factor.factorId, code)));

      const winners = responses.filter((r) => r.statusCode === 200);
      assert.equal(winners.length, 1, JSON.stringify(codeCounts(responses)));
      const body = winners[0]!.json() as TransactionBody;
      assert.equal(body.state, 'complete');
      assert.ok(body.session?.token);
      for (const r of responses) assert.ok(r.statusCode < 500, r.body);
      assert.equal(await sessionCount(member.id), sessionsBefore + 1, 'exactly one session issued');
    });

    test('20 parallel sign-ins each submitting the same valid code: exactly one success', async () => {
      const { member, factor } = await enrolledTechnician();
      const sessionsBefore = await sessionCount(member.id);
      const transactions: TransactionBody[] = [];
      for (let i = 0; i < 20; i++) transactions.push(await signInExpecting(t, member.email, 'verify'));
      const code = totpNow(t, factor.seed);
      const responses = await Promise.all(transactions.map((tx) => verify(t, tx.id, factor.factorId, code)));

      const counts = codeCounts(responses);
      assert.equal(counts.ok, 1, JSON.stringify(counts));
      // Every replay is a wrong code for the factor: after 10 in a row it locks (docs/security.md S3).
      assert.equal((counts.invalid_code ?? 0) + (counts.factor_locked ?? 0), 19, JSON.stringify(counts));
      assert.equal(await sessionCount(member.id), sessionsBefore + 1);
    });
  });
}
