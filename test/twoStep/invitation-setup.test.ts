/**
 * docs/security.md S26: set-up after the password alone lets whoever holds the password bind the first
 * factor. Mitigation: an invitation link sets the password and the first factor together. An invited
 * member who must use two-step verification accepts the link into a sign-in transaction in set-up;
 * the password is set, the link spent and the member signed in only when Activate completes it, so
 * there is never a password without a factor. Two set-ups with one link: only one completes (also in
 * parallel); an expired set-up leaves the link usable; an administrator's new password ends it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { PASSWORD, call, consoleSignIn, createTestApp, engines, uniqueEmail, type TestApp, type TransactionBody } from '../support/harness.ts';
import { bindTotp, confirm, signInExpecting, totpNow, verify } from './_factors.ts';
import { addGroup, expectProblem, organizationWith, sentTo, type OrgWithAdmin } from './_fixtures.ts';

const CONSOLE = { kind: 'technician-console' } as const;
const OTHER_PASSWORD = 'Another-Horse-8';

for (const engine of engines()) {
  describe(`invitations that set up two-step verification on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    /** A technician invited (no password) into an organization that requires `technicians`. */
    async function invite(technicians: 'all' | 'none' = 'all') {
      const org = await organizationWith(t, { technicians });
      const group = await addGroup(t, org);
      const email = uniqueEmail('invited');
      const created = await call(t, 'POST', '/api/v1/members', { name: 'Ivy Invited', email, technicianGroupId: group }, org.masterToken);
      assert.equal(created.statusCode, 201, created.body);
      const message = [...t.outbox].reverse().find((m) => m.to === email && m.text.includes('/invitations/'));
      assert.ok(message, 'the invitation is emailed');
      const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(message.text)![1]!;
      return { org, email, id: (created.json() as { id: string }).id, token };
    }
    /** `client: null` sends none, as the website's page does. */
    const accept = (token: string, password = PASSWORD, client: object | null = CONSOLE) =>
      call(t, 'POST', `/api/v1/invitations/${token}/accept`, { password, ...(client ? { client } : {}) });
    const passwordHashOf = async (memberId: string) =>
      (await t.ctx.db.selectFrom('members').select('password_hash').where('id', '=', memberId).executeTakeFirstOrThrow()).password_hash;

    /** Accepts into set-up and confirms an authenticator app there, ready to activate. */
    async function confirmedSetUp(token: string, password = PASSWORD) {
      const accepted = await accept(token, password);
      assert.equal(accepted.statusCode, 202, accepted.body);
      const tx = accepted.json() as TransactionBody;
      const pending = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      return { tx, pending };
    }
    const activate = (txId: string) => call(t, 'POST', `/api/v1/transactions/${txId}/activate`);
    const auditOf = async (org: OrgWithAdmin, entityId: string) =>
      (await t.ctx.db.selectFrom('audit_events').select(['change_type', 'details']).where('organization_id', '=', org.organizationId)
        .where('entity_id', '=', entityId).orderBy('at').orderBy('id').execute());

    test('the language the invitation is accepted in is the member\'s from the set-up on', async () => {
      const { id, token } = await invite();
      const accepted = await call(t, 'POST', `/api/v1/invitations/${token}/accept`, { password: PASSWORD, client: CONSOLE }, undefined, { 'accept-language': 'nl-BE,nl;q=0.9' });
      assert.equal(accepted.statusCode, 202, accepted.body);
      const language = (await t.ctx.db.selectFrom('members').select('language').where('id', '=', id).executeTakeFirstOrThrow()).language;
      assert.equal(language, 'nl');
    });

    test('the password is set only together with the first factor, and the link is spent then', async () => {
      const { org, email, id, token } = await invite();
      const described = await call(t, 'GET', `/api/v1/invitations/${token}`);
      assert.equal((described.json() as { twoStepVerificationRequired: boolean }).twoStepVerificationRequired, true);

      const accepted = await accept(token);
      assert.equal(accepted.statusCode, 202, accepted.body);
      const tx = accepted.json() as TransactionBody;
      assert.equal(tx.purpose, 'sign_in');
      assert.equal(tx.state, 'setup');
      assert.equal(tx.setup?.primaryMethod, 'totp');
      assert.equal(tx.session, undefined);

      // Nothing is set yet: the chosen password signs nobody in, and the link is still open.
      assert.equal(await passwordHashOf(id), null);
      expectProblem((await consoleSignIn(t, email)).response, 401, 'invalid_credentials');
      assert.equal((await call(t, 'GET', `/api/v1/invitations/${token}`)).statusCode, 200);

      const pending = await bindTotp(t, tx.id);
      assert.equal((await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);
      assert.equal(await passwordHashOf(id), null, 'a confirmed factor alone sets no password');
      const done = await activate(tx.id);
      assert.equal(done.statusCode, 200, done.body);
      const body = done.json() as TransactionBody;
      assert.equal(body.state, 'complete');
      assert.ok(body.session?.token, 'the member is signed in');
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, body.session.token)).statusCode, 200);

      // The link is spent; the password now works, with the factor just bound.
      expectProblem(await call(t, 'GET', `/api/v1/invitations/${token}`), 400, 'invalid_invitation');
      expectProblem(await accept(token, OTHER_PASSWORD), 400, 'invalid_invitation');
      t.clock.advance(30_000);
      const signIn = await signInExpecting(t, email, 'verify');
      assert.equal((await verify(t, signIn.id, pending.factorId, totpNow(t, pending.seed))).statusCode, 200);

      const stored = await t.ctx.db.selectFrom('transactions').select('new_password_hash').where('member_id', '=', id).execute();
      assert.ok(stored.every((row) => row.new_password_hash === null), 'the new password hash is not kept beside the transaction');
      const events = await auditOf(org, id);
      const accepting = events.find((e) => e.change_type === 'Change' && String(e.details).includes('invitationAccepted'));
      assert.ok(accepting, 'accepting the invitation is audited');
      assert.ok(events.some((e) => e.change_type === 'SignIn'));
      assert.equal(sentTo(t, email).filter((m) => m.subject?.endsWith('a verification method was added to your account')).length, 1, 'the binding is notified');
    });

    test('until the set-up is activated the link works again; of two set-ups racing, one completes', async () => {
      const { email, id, token } = await invite();
      const first = await confirmedSetUp(token, PASSWORD);
      const second = await confirmedSetUp(token, OTHER_PASSWORD);
      const results = await Promise.all([activate(first.tx.id), activate(second.tx.id)]);
      const statuses = results.map((r) => r.statusCode);
      assert.equal(statuses.filter((s) => s === 200).length, 1, `exactly one completes: ${results.map((r) => r.body).join(' | ')}`);
      const loser = results.find((r) => r.statusCode !== 200)!;
      assert.ok(loser.statusCode >= 400 && loser.statusCode < 500, loser.body);
      assert.ok(['invalid_invitation', 'transaction_expired', 'transaction_completed'].includes((loser.json() as { code: string }).code), loser.body);

      // The winner's password is the member's; the loser's signs nobody in.
      const [winnerPassword, loserPassword] = results[0]!.statusCode === 200 ? [PASSWORD, OTHER_PASSWORD] : [OTHER_PASSWORD, PASSWORD];
      assert.notEqual(await passwordHashOf(id), null);
      expectProblem((await consoleSignIn(t, email, loserPassword)).response, 401, 'invalid_credentials');
      const { response, body } = await consoleSignIn(t, email, winnerPassword);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(body.state, 'verify');
      assert.equal(body.factors.length, 1, 'only the winning set-up\'s factor counts');
    });

    test('an expired set-up leaves no password, and the link starts a new one', async () => {
      const { id, token } = await invite();
      const { tx } = await confirmedSetUp(token);
      t.clock.advance(10 * 60_000);
      expectProblem(await activate(tx.id), 410, 'transaction_expired');
      assert.equal(await passwordHashOf(id), null);
      const again = await confirmedSetUp(token, OTHER_PASSWORD);
      assert.equal((await activate(again.tx.id)).statusCode, 200);
      assert.notEqual(await passwordHashOf(id), null);
    });

    test('an administrator setting the password ends the set-up under way', async () => {
      const { org, email, id, token } = await invite();
      const { tx } = await confirmedSetUp(token, OTHER_PASSWORD);
      const set = await call(t, 'PATCH', `/api/v1/members/${id}`, { password: PASSWORD }, org.masterToken);
      assert.equal(set.statusCode, 200, set.body);
      const refused = await activate(tx.id);
      assert.ok([400, 410].includes(refused.statusCode), refused.body);
      expectProblem((await consoleSignIn(t, email, OTHER_PASSWORD)).response, 401, 'invalid_credentials');
      assert.equal((await signInExpecting(t, email, 'setup')).state, 'setup', 'the administrator\'s password still leads to set-up');
    });

    test('an administrator changing the email closes the link, and its set-up ends before Activate binds anything', async () => {
      const { org, id, token } = await invite();
      const { tx } = await confirmedSetUp(token);
      const moved = await call(t, 'PATCH', `/api/v1/members/${id}`, { email: uniqueEmail('moved') }, org.masterToken);
      assert.equal(moved.statusCode, 200, moved.body);
      expectProblem(await activate(tx.id), 400, 'invalid_invitation');
      expectProblem(await activate(tx.id), 410, 'transaction_expired');
      expectProblem(await accept(token), 400, 'invalid_invitation');
      assert.equal(await passwordHashOf(id), null);
    });

    test('from the website, the set-up is bound to the browser that accepted the link', async () => {
      const { token } = await invite();
      const accepted = await accept(token, PASSWORD, null);
      assert.equal(accepted.statusCode, 202, accepted.body);
      const binding = (accepted.cookies as Array<{ name: string; value: string; httpOnly?: boolean }>).find((c) => c.name === 'twofold_tx');
      assert.ok(binding?.httpOnly, 'the transaction is bound by an HttpOnly cookie');
      const tx = accepted.json() as TransactionBody;
      assert.deepEqual((tx as { client?: object }).client, { kind: 'website' });
      expectProblem(await call(t, 'GET', `/api/v1/transactions/${tx.id}`), 404, 'not_found');
      const withCookie: LightMyRequestResponse = await call(t, 'GET', `/api/v1/transactions/${tx.id}`, undefined, undefined, { cookie: `twofold_tx=${binding.value}` });
      assert.equal(withCookie.statusCode, 200, withCookie.body);
    });

    test('a member who need not use it sets the password at once, as before', async () => {
      const { email, token } = await invite('none');
      const described = await call(t, 'GET', `/api/v1/invitations/${token}`);
      assert.equal((described.json() as { twoStepVerificationRequired: boolean }).twoStepVerificationRequired, false);
      assert.equal((await accept(token)).statusCode, 204);
      const { body } = await consoleSignIn(t, email);
      assert.equal(body.state, 'complete');
    });
  });
}
