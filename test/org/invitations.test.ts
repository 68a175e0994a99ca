// Threat: an invitation link used twice (someone who saw the email setting a password after the
// member did), used after it expired, or still open after an administrator set the password.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MESSAGE_TEXTS } from '../../src/delivery/texts/index.ts';
import { INVITATION_TTL_MS } from '../../src/services/members/invitations.ts';
import { call, createOrgTestApp, engines, invitationToken, PASSWORD, tokenFor, uniqueEmail, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

for (const engine of engines()) {
  describe(`invitations on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
    });
    after(async () => t?.close());

    const invite = async (): Promise<{ email: string; id: string; token: string }> => {
      const email = uniqueEmail('invited');
      const created = await w.asMah('POST', '/api/v1/members', { name: 'Ivy', email, technicianGroupId: w.groups.A1 });
      assert.deepEqual(Object.keys(created.invitation as object).sort(), ['expiresAt', 'sent']);
      return { email, id: created.id as string, token: invitationToken(t, email) };
    };
    const accept = (token: string, password = PASSWORD) => call(t, 'POST', `/api/v1/invitations/${token}/accept`, { password });

    test('a new member without a password is emailed a link that sets it once', async () => {
      const { email, token } = await invite();
      const message = [...t.outbox].reverse().find((m) => m.to === email)!;
      assert.match(message.text, new RegExp(`http://localhost:3000/invitations/${token}`));
      const view = await call(t, 'GET', `/api/v1/invitations/${token}`);
      assert.equal(view.json<{ email: string; organizationName: string }>().email, email);
      // No password yet: signing in fails like any wrong password.
      assert.equal((await call(t, 'POST', '/api/v1/sign-in', { email, password: PASSWORD })).statusCode, 401);

      assert.equal((await accept(token)).statusCode, 204);
      await tokenFor(t, email);
      const again = await accept(token, 'Another-Pass-7');
      assert.equal(again.statusCode, 400);
      assert.equal(again.json<{ code: string }>().code, 'invalid_invitation');
      assert.equal((await call(t, 'GET', `/api/v1/invitations/${token}`)).statusCode, 400);
      await tokenFor(t, email);
    });

    test('accepting records the language of the browser that accepts: the page\'s, else its Accept-Language; the next email is in it', async () => {
      const languageOf = async (email: string) => (await call(t, 'GET', '/api/v1/me', undefined, await tokenFor(t, email))).json<{ language: string | null }>().language;
      const onPage = await invite();
      const accepted = await call(t, 'POST', `/api/v1/invitations/${onPage.token}/accept`, { password: PASSWORD, language: 'fr' }, undefined, { 'accept-language': 'de' });
      assert.equal(accepted.statusCode, 204, accepted.body);
      assert.equal(await languageOf(onPage.email), 'fr', 'the page\'s language wins over the header');
      assert.equal((await call(t, 'POST', '/api/v1/password-resets', { email: onPage.email })).statusCode, 202);
      // The link is emailed after the answer.
      const resetMail = () => t.outbox.find((m) => m.to === onPage.email && m.text.includes('/password-reset/'));
      for (let i = 0; i < 200 && !resetMail(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const reset = resetMail()!;
      assert.equal(reset.subject, MESSAGE_TEXTS.fr.passwordReset({ org: 'Acme Support', expires: '' }).subject);

      const byHeader = await invite();
      assert.equal((await call(t, 'POST', `/api/v1/invitations/${byHeader.token}/accept`, { password: PASSWORD, language: 'xx' }, undefined, { 'accept-language': 'ja, de-CH;q=0.9' })).statusCode, 204);
      assert.equal(await languageOf(byHeader.email), 'de');

      const unknown = await invite();
      assert.equal((await call(t, 'POST', `/api/v1/invitations/${unknown.token}/accept`, { password: PASSWORD }, undefined, { 'accept-language': 'ja' })).statusCode, 204);
      assert.equal(await languageOf(unknown.email), null, 'no language Twofold speaks: none recorded, English meanwhile');
    });

    test('only one of two requests racing with the same link wins', async () => {
      const { token } = await invite();
      const results = await Promise.all([accept(token), accept(token, 'Another-Pass-7')]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [204, 400]);
    });

    test('an administrator setting the password closes the open invitation', async () => {
      const { id, token } = await invite();
      assert.equal((await call(t, 'PATCH', `/api/v1/members/${id}`, { password: PASSWORD }, w.adminA.token)).statusCode, 200);
      assert.equal((await accept(token, 'Another-Pass-7')).json<{ code: string }>().code, 'invalid_invitation');
    });

    test('a new address, or enabling again, closes the old link and invites anew', async () => {
      const { id, token } = await invite();
      const moved = uniqueEmail('moved');
      const changed = await call(t, 'PATCH', `/api/v1/members/${id}`, { email: moved }, w.adminA.token);
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(changed.json<{ invitation: { sent: boolean } }>().invitation.sent, true);
      assert.equal((await accept(token)).json<{ code: string }>().code, 'invalid_invitation');
      const second = invitationToken(t, moved);
      assert.notEqual(second, token);

      assert.equal((await call(t, 'PATCH', `/api/v1/members/${id}`, { enabled: false }, w.adminA.token)).statusCode, 200);
      assert.equal((await accept(second)).json<{ code: string }>().code, 'invalid_invitation', 'a disabled member\'s link is closed');
      const enabled = await call(t, 'PATCH', `/api/v1/members/${id}`, { enabled: true }, w.adminA.token);
      assert.equal(enabled.json<{ invitation?: object }>().invitation !== undefined, true);
      const third = invitationToken(t, moved);
      assert.notEqual(third, second);
      assert.equal((await accept(third)).statusCode, 204);
      await tokenFor(t, moved);
      // With a password set, another change of address invites nobody.
      const again = await call(t, 'PATCH', `/api/v1/members/${id}`, { email: uniqueEmail('again') }, w.adminA.token);
      assert.equal(again.json<{ invitation?: object }>().invitation, undefined);
    });

    test('a link works until it expires after 7 days, and not after', async () => {
      const early = await invite();
      const late = await invite();
      t.clock.advance(INVITATION_TTL_MS - 1);
      assert.equal((await accept(early.token)).statusCode, 204);
      t.clock.advance(1);
      const expired = await accept(late.token);
      assert.equal(expired.statusCode, 400);
      assert.equal(expired.json<{ code: string }>().code, 'invalid_invitation');
      const row = await t.ctx.db.selectFrom('members').select('password_hash').where('id', '=', late.id).executeTakeFirstOrThrow();
      assert.equal(row.password_hash, null);
    });
  });
}
