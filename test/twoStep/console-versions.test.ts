/**
 * Rule: Technician Console versions (docs/product-behaviour.md "Technician Console versions";
 * docs/two-step-verification.md "Signing in"): consoles 7.50.3572 and earlier neither offer nor set up email, ignore the primary
 * method and offer push, then TOTP, then SMS; a member whose only factor is email is refused at
 * `POST /api/v1/sign-in` itself with `console_email_only`, after the password check. Newer consoles,
 * consoles that send no version, and the website follow the primary method (first in `factors`,
 * and `defaultFactorId`).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { PASSWORD_FAILURE_LIMIT } from '../../src/services/signIn/passwordAttempts.ts';
import { activate, bindSentCode, bindTotp, confirm, newPhone, signInExpecting, totpNow } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, type Method, type SettingsBody } from './_fixtures.ts';

// Ordered as semantic versions: a pre-release comes before its release, build metadata does not count.
const LEGACY = ['7.50.3572', '7.50.3571', '7.50', '7.49.99999', '6.0.0', '7.50.3572-beta', '7.50.3572-rc.1+build.5'];
const CURRENT = ['7.50.3573', '7.51.0', '7.100.0', '8', '7.50.3573-beta', '7.51.0+build.1', 'not-a-version'];

for (const engine of engines()) {
  describe(`console version rules on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const signIn = (email: string, client?: { kind: string; version?: string }, password = PASSWORD) =>
      call(t, 'POST', '/api/v1/sign-in', { email, password, ...(client ? { client } : {}) });
    const consoleClient = (version?: string) => ({ kind: 'technician-console', ...(version ? { version } : {}) });

    async function org(changes: Partial<SettingsBody>) {
      const o = await organizationWith(t, { technicians: 'all', allowedMethods: ['totp', 'sms', 'email'], ...changes });
      return { o, group: await addGroup(t, o) };
    }

    /** A technician with the given factors, set up (primary first) from a console that sends no version. */
    async function memberWith(changes: Partial<SettingsBody>, methods: Method[]) {
      const { o, group } = await org(changes);
      const member = await addMember(t, o, { technicianGroupId: group });
      const tx = await signInExpecting(t, member.email, 'setup');
      const ids: Record<string, string> = {};
      for (const method of methods) {
        if (method === 'totp') {
          const pending = await bindTotp(t, tx.id);
          assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
          ids.totp = pending.factorId;
        } else {
          ids[method] = await bindSentCode(t, tx.id, method as 'sms' | 'email', method === 'sms' ? newPhone() : member.email);
        }
      }
      await activate(t, tx.id);
      return { member, ids };
    }

    const offered = (body: TransactionBody): string[] => body.factors.map((f) => f.type);

    test('legacy consoles: no email, TOTP before SMS, whatever the primary', async () => {
      for (const primaryMethod of ['email', 'sms'] as const) {
        const { member, ids } = await memberWith({ primaryMethod }, [primaryMethod, 'totp', ...(primaryMethod === 'sms' ? ['email'] as const : ['sms'] as const)]);
        for (const version of LEGACY) {
          const response = await signIn(member.email, consoleClient(version));
          assert.equal(response.statusCode, 200, response.body);
          const body = response.json() as TransactionBody;
          assert.equal(body.state, 'verify');
          assert.deepEqual(offered(body), ['totp', 'sms'], `${version}, primary ${primaryMethod}`);
          assert.equal(body.defaultFactorId, ids.totp);
          // The email factor cannot be used there, even by id.
          expectProblem(await call(t, 'POST', `/api/v1/transactions/${body.id}/challenges`, { factorId: ids.email }), 400, 'factor_not_offered');
        }
      }
    });

    test('newer consoles, consoles without a version and the website follow the primary method', async () => {
      for (const primaryMethod of ['email', 'sms'] as const) {
        const { member, ids } = await memberWith({ primaryMethod }, [primaryMethod, 'totp', ...(primaryMethod === 'sms' ? ['email'] as const : ['sms'] as const)]);
        const clients = [...CURRENT.map(consoleClient), consoleClient(), { kind: 'website' }, undefined];
        for (const client of clients) {
          const response = await signIn(member.email, client);
          assert.equal(response.statusCode, 200, response.body);
          const body = response.json() as TransactionBody;
          const expected = primaryMethod === 'email' ? ['email', 'totp', 'sms'] : ['sms', 'totp', 'email'];
          assert.deepEqual(offered(body), expected, JSON.stringify(client));
          assert.equal(body.defaultFactorId, ids[primaryMethod]);
        }
      }
    });

    test('refused at the password step, the right password still clears the wrong ones before it', async () => {
      const { member } = await memberWith({ primaryMethod: 'email' }, ['email']);
      const wrong = async () => expectProblem(await signIn(member.email, consoleClient(), 'Wrong-Horse-9'), 401, 'invalid_credentials');
      for (let i = 0; i < PASSWORD_FAILURE_LIMIT - 1; i++) await wrong();
      expectProblem(await signIn(member.email, consoleClient('7.50.3572')), 403, 'console_email_only');
      // As many again: had the right password not cleared the first ones, these would lock it.
      for (let i = 0; i < PASSWORD_FAILURE_LIMIT - 1; i++) await wrong();
      assert.equal((await signIn(member.email, { kind: 'website' })).json().state, 'verify');
    });

    test('a member whose only factor is email is refused by a legacy console at the password step', async () => {
      const { member } = await memberWith({ primaryMethod: 'email' }, ['email']);
      const before = await transactionCount(member.id);
      for (const version of LEGACY) expectProblem(await signIn(member.email, consoleClient(version)), 403, 'console_email_only');
      assert.equal(await transactionCount(member.id), before, 'no transaction was opened');
      // Only after the password: a wrong password still looks like any wrong password.
      expectProblem(await signIn(member.email, consoleClient('7.50.3572'), 'Wrong-Horse-9'), 401, 'invalid_credentials');
      // Newer consoles and the website go on to verify.
      for (const client of [consoleClient('7.50.3573'), consoleClient(), { kind: 'website' }]) {
        assert.equal((await signIn(member.email, client)).json().state, 'verify');
      }
    });

    test('set-up on a legacy console never offers email, even when it is the primary method', async () => {
      const { o, group } = await org({ primaryMethod: 'email' });
      const member = await addMember(t, o, { technicianGroupId: group });
      const legacy = (await signIn(member.email, consoleClient('7.50.3572'))).json() as TransactionBody;
      assert.equal(legacy.state, 'setup');
      assert.deepEqual(legacy.setup, {
        primaryMethod: 'totp', allowedMethods: ['totp', 'sms'], confirmed: false, setupCodeRequired: false, required: ['totp'], optional: ['sms'], next: 'totp',
        proofRequired: false, proofFactors: [],
      });
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${legacy.id}/factors`, { type: 'email' }), 400, 'method_not_allowed');

      const current = (await signIn(member.email, consoleClient('7.100.0'))).json() as TransactionBody;
      assert.deepEqual(current.setup, {
        primaryMethod: 'email', allowedMethods: ['email', 'totp', 'sms'], confirmed: false, setupCodeRequired: false,
        required: ['email'], optional: ['totp', 'sms'], next: 'email', proofRequired: false, proofFactors: [],
      });
    });

    test('an organization that allows only email cannot be set up from a legacy console', async () => {
      const { o, group } = await org({ primaryMethod: 'email', allowedMethods: ['email'] });
      const member = await addMember(t, o, { technicianGroupId: group });
      expectProblem(await signIn(member.email, consoleClient('7.50.3572')), 403, 'console_email_only');
      assert.equal((await signIn(member.email, consoleClient('7.50.3573'))).json().state, 'setup');
    });

    async function transactionCount(memberId: string): Promise<number> {
      const row = await t.ctx.db.selectFrom('transactions').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow();
      return Number(row.n);
    }
  });
}
