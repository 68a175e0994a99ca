/**
 * A method switched off: when an organization removes a method from the allowed methods, a member whose
 * only factors use it must set an allowed one up at the next sign-in, but the password alone never
 * replaces a factor. The set-up first asks for a proof (`setup.proofRequired`): a code from the
 * switched-off factor (accepted for this proof only, and completing nothing), a recovery code, or an
 * administrator's setup code at Activate. Without one, binding is `setup_proof_required`.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken } from '../../src/crypto/tokens.ts';
import { call, createTestApp, engines, lastCode, type TestApp, type TransactionBody } from '../support/harness.ts';
import { activate, bindTotp, challenge, confirm, signInExpecting, totpNow, verify } from './_factors.ts';
import { addGroup, addMember, codeCounts, expectProblem, organizationWith, saveSettings } from './_fixtures.ts';
import { smsOnlyMember } from './_switchedOff.ts';

interface SetupBody extends TransactionBody {
  setup: TransactionBody['setup'] & { setupCodeRequired: boolean; proofRequired: boolean; proofFactors: Array<{ id: string; type: string; locked: boolean }> };
  recoveryAvailable?: boolean;
  recoveryCodes?: string[];
}

for (const engine of engines()) {
  describe(`a method switched off on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const get = async (id: string) => (await call(t, 'GET', `/api/v1/transactions/${id}`)).json() as SetupBody;

    /** A technician whose only factor is of text messages, which the organization then switches off. */
    async function switchedOffMember() {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await smsOnlyMember(t, org, { technicianGroupId: await addGroup(t, org) });
      await saveSettings(t, org.masterToken, { technicians: 'all', allowedMethods: ['totp', 'email'] });
      return { org, member, smsId: member.smsId, phone: member.phone, recoveryCodes: member.recoveryCodes };
    }

    test('the set-up says a proof is required, and the password alone binds nothing', async () => {
      const { member, smsId } = await switchedOffMember();
      const tx = await signInExpecting(t, member.email, 'setup') as SetupBody;
      assert.equal(tx.setup.proofRequired, true);
      assert.deepEqual(tx.setup.proofFactors.map((f) => [f.id, f.type]), [[smsId, 'sms']]);
      assert.equal(tx.recoveryAvailable, true);
      assert.deepEqual(tx.setup.allowedMethods, ['totp', 'email']);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'totp' }), 403, 'setup_proof_required');
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'email', email: member.email }), 403, 'setup_proof_required');
      const stored = await t.ctx.db.selectFrom('factors').select('id').where('member_id', '=', member.id).execute();
      assert.deepEqual(stored.map((f) => f.id), [smsId], 'nothing was bound');
    });

    test('a code from the switched-off factor proves possession, completes nothing, then an allowed method activates', async () => {
      const { member, smsId, phone } = await switchedOffMember();
      const tx = await signInExpecting(t, member.email, 'setup');
      const sent = await challenge(t, tx.id, smsId);
      assert.equal(sent.statusCode, 201, sent.body);
      const code = lastCode(t, phone);
      const wrong = code === '000000' ? '111111' : '000000';
      assert.equal(expectProblem(await verify(t, tx.id, smsId, wrong), 400, 'invalid_code').attemptsRemaining, 4);
      const proved = await verify(t, tx.id, smsId, code);
      assert.equal(proved.statusCode, 200, proved.body);
      const body = proved.json() as SetupBody;
      assert.equal(body.state, 'setup', 'the proof does not complete the sign-in');
      assert.equal(body.session, undefined);
      assert.equal(body.setup.proofRequired, false);
      assert.deepEqual(body.setup.proofFactors, []);
      assert.equal((await get(tx.id)).state, 'setup');

      const app = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, app.factorId, totpNow(t, app.seed))).statusCode, 200);
      const done = await activate(t, tx.id);
      assert.ok(done.session?.token);
      // The next sign-in verifies with the new factor.
      t.clock.advance(30_000);
      const next = await signInExpecting(t, member.email, 'verify');
      assert.deepEqual(next.factors.map((f) => f.type), ['totp']);
    });

    test('the switched-off factor is accepted only for the proof', async () => {
      const { member, smsId, phone } = await switchedOffMember();
      // A set-up that waits for no proof (a member who never set up) refuses a verify as before.
      const org = await organizationWith(t, { technicians: 'all' });
      const fresh = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const plain = await signInExpecting(t, fresh.email, 'setup') as SetupBody;
      assert.equal(plain.setup.proofRequired, false);
      expectProblem(await verify(t, plain.id, smsId, '123456'), 409, 'transaction_state');
      // Once proved, it proves nothing more, and never completes the set-up.
      const tx = await signInExpecting(t, member.email, 'setup');
      assert.equal((await challenge(t, tx.id, smsId)).statusCode, 201);
      assert.equal((await verify(t, tx.id, smsId, lastCode(t, phone))).statusCode, 200);
      t.clock.advance(31_000);
      expectProblem(await challenge(t, tx.id, smsId), 400, 'factor_not_offered');
      expectProblem(await verify(t, tx.id, smsId, '123456'), 409, 'transaction_state');
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`), 409, 'primary_factor_required');
    });

    test('a recovery code proves possession too, and is used up', async () => {
      const { member, recoveryCodes } = await switchedOffMember();
      const tx = await signInExpecting(t, member.email, 'setup');
      const recover = (code: string) => call(t, 'POST', `/api/v1/transactions/${tx.id}/recovery`, { code });
      assert.equal(expectProblem(await recover('zzzz-zzzz-zzzz-zzzz'), 400, 'invalid_code').attemptsRemaining, 4);
      const proved = await recover(recoveryCodes[0]!);
      assert.equal(proved.statusCode, 200, proved.body);
      const body = proved.json() as SetupBody;
      assert.equal(body.state, 'setup');
      assert.equal(body.session, undefined);
      assert.equal(body.setup.proofRequired, false);
      const used = await t.ctx.db.selectFrom('recovery_codes').select('used_at').where('member_id', '=', member.id).where('used_at', 'is not', null).execute();
      assert.equal(used.length, 1);
      const app = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, app.factorId, totpNow(t, app.seed))).statusCode, 200);
      assert.ok((await activate(t, tx.id)).session?.token);
    });

    test('one recovery code sent to two set-ups at once proves one of them only', async () => {
      const { member, recoveryCodes } = await switchedOffMember();
      const first = await signInExpecting(t, member.email, 'setup');
      const second = await signInExpecting(t, member.email, 'setup');
      const answers = await Promise.all([first, second].map((tx) =>
        call(t, 'POST', `/api/v1/transactions/${tx.id}/recovery`, { code: recoveryCodes[1]! })));
      assert.deepEqual(codeCounts(answers), { ok: 1, invalid_code: 1 });
      const proved = await Promise.all([first, second].map(async (tx) => (await get(tx.id)).setup.proofRequired));
      assert.deepEqual(proved.sort(), [false, true]);
    });

    test('an administrator\'s setup code stands for the proof, at Activate; without any proof Activate refuses', async () => {
      const { org, member } = await switchedOffMember();
      const issued = await call(t, 'POST', `/api/v1/members/${member.id}/setup-code`, undefined, org.masterToken);
      assert.equal(issued.statusCode, 201, issued.body);
      const { setupCode } = issued.json() as { setupCode: string };
      const tx = await signInExpecting(t, member.email, 'setup') as SetupBody;
      assert.equal(tx.setup.proofRequired, false, 'the setup code is the proof');
      assert.equal(tx.setup.setupCodeRequired, true);
      const app = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, app.factorId, totpNow(t, app.seed))).statusCode, 200);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`), 403, 'setup_code_required');

      // Were the code gone before Activate (here the test removes it), the set-up still has no proof.
      await t.ctx.db.deleteFrom('setup_codes').where('member_id', '=', member.id).execute();
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`, { setupCode }), 403, 'setup_proof_required');
      const stored = await t.ctx.db.selectFrom('transactions').select('completed_at').where('id', '=', hashToken(tx.id)).executeTakeFirstOrThrow();
      assert.equal(stored.completed_at, null);

      // With a new code, Activate completes.
      const again = await call(t, 'POST', `/api/v1/members/${member.id}/setup-code`, undefined, org.masterToken);
      const done = await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`, { setupCode: (again.json() as { setupCode: string }).setupCode });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal((done.json() as SetupBody).state, 'complete');
    });
  });
}
