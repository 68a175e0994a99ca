/**
 * The set-up's order is said up front and held: the transaction lists the methods to set up and
 * confirm in order (`setup.required`, `setup.optional`, `setup.next`), a backup method before the
 * primary one is refused with `setup_out_of_order` before any code is sent, and every message names
 * methods as people do ("authenticator app", "text message"), never by their ids.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { hashToken } from '../../src/crypto/tokens.ts';
import { activate, bindSentCode, bindTotp, confirm, newPhone, signInExpecting, totpNow } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, sentTo } from './_fixtures.ts';

interface SetupView { required: string[]; optional: string[]; next: string | null; primaryMethod: string | null }

const METHOD_IDS = /\b(totp|sms|push)\b/;

for (const engine of engines()) {
  describe(`the set-up order on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function settingUp(changes: Parameters<typeof organizationWith>[1] = {}) {
      const org = await organizationWith(t, { technicians: 'all', ...changes });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      return { org, member, tx: await signInExpecting(t, member.email, 'setup') };
    }
    const setupOf = async (id: string): Promise<SetupView> => {
      const response = await call(t, 'GET', `/api/v1/transactions/${id}`);
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { setup: SetupView }).setup;
    };

    test('the transaction lists the required method first, then the optional ones, and what comes next', async () => {
      const { tx } = await settingUp();
      assert.deepEqual(await setupOf(tx.id), { ...await setupOf(tx.id), required: ['totp'], optional: ['sms', 'email'], next: 'totp' });
      const pending = await bindTotp(t, tx.id);
      assert.equal((await setupOf(tx.id)).next, 'totp', 'bound but not confirmed: still next');
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      assert.equal((await setupOf(tx.id)).next, null);
    });

    test('a text message before the authenticator app is refused before any message is sent', async () => {
      const { tx } = await settingUp();
      const phone = newPhone();
      const refused = expectProblem(
        await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'sms', phoneNumber: phone }), 409, 'setup_out_of_order');
      assert.equal(refused.next, 'totp');
      assert.deepEqual(refused.required, ['totp']);
      assert.doesNotMatch(String(refused.title), METHOD_IDS);
      assert.match(String(refused.title), /authenticator app/);
      assert.deepEqual(sentTo(t, phone), []);
      const rows = await t.ctx.db.selectFrom('factors').select('id').where('setup_transaction_id', '=', hashToken(tx.id)).execute();
      assert.deepEqual(rows, []);

      // In order, the same backup is accepted and the set-up activates.
      const pending = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      await bindSentCode(t, tx.id, 'sms', phone);
      await activate(t, tx.id);
    });

    test('with text messages as the primary method, the authenticator app waits for it', async () => {
      const { tx } = await settingUp({ primaryMethod: 'sms' });
      const view = await setupOf(tx.id);
      assert.deepEqual([view.required, view.next], [['sms'], 'sms']);
      const refused = expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'totp' }), 409, 'setup_out_of_order');
      assert.match(String(refused.title), /text message/);
      assert.doesNotMatch(String(refused.title), METHOD_IDS);
      await bindSentCode(t, tx.id, 'sms', newPhone());
      await bindTotp(t, tx.id);
    });

    test('a method the organization switched off is refused by its human name', async () => {
      const { tx } = await settingUp({ allowedMethods: ['totp', 'email'] });
      const refused = expectProblem(
        await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'sms', phoneNumber: newPhone() }), 400, 'method_not_allowed');
      assert.match(String(refused.title), /text message/);
      assert.doesNotMatch(String(refused.title), METHOD_IDS);
    });
  });
}
