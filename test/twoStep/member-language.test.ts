/**
 * A member's language is kept on their record (GET /api/v1/me, PUT /api/v1/me/language) and every
 * code sent to them is written in it: a French member's email code arrives in French over a real SMTP
 * server, a German member's text message in German through the SMS gateway.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpSmsGateway } from '../../src/delivery/httpSmsGateway.ts';
import { createSmtpMailer } from '../../src/delivery/smtpMailer.ts';
import { call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { startFakeSmsGateway, type FakeSmsGateway } from '../support/smsGateway.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer.ts';
import { activate, challenge, confirm, enrolSentCode, newPhone, signInExpecting } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, saveSettings, type MemberFixture, type OrgWithAdmin } from './_fixtures.ts';

for (const engine of engines()) {
  describe(`the member's language on ${engine}`, () => {
    let t: TestApp;
    let smtp: TestSmtpServer;
    let gateway: FakeSmsGateway;
    before(async () => {
      smtp = await startSmtpServer();
      gateway = await startFakeSmsGateway();
      t = await createTestApp({
        engine,
        emailSender: createSmtpMailer({ url: smtp.url, from: 'Twofold <no-reply@twofold.test>' }),
        smsSender: createHttpSmsGateway({ accountSid: gateway.accountSid, authToken: gateway.authToken, from: '+15005550006', baseUrl: gateway.baseUrl }),
      });
    });
    after(async () => {
      await t.close();
      await smtp.stop();
      await gateway.stop();
    });

    /** A technician who chose `language` from a session, before their organization required two-step verification. */
    async function memberSpeaking(language: string, primaryMethod: 'email' | 'sms'): Promise<{ org: OrgWithAdmin; member: MemberFixture }> {
      const org = await organizationWith(t, {}, 'Polyglot GmbH');
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const token = await tokenFor(t, member.email);
      const chosen = await call(t, 'PUT', '/api/v1/me/language', { language }, token);
      assert.equal(chosen.statusCode, 200, chosen.body);
      assert.deepEqual(chosen.json(), { language });
      await saveSettings(t, org.masterToken, { technicians: 'all', primaryMethod });
      return { org, member };
    }

    test('GET /api/v1/me has no language until one is chosen; a language Twofold does not speak is refused', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org);
      const token = await tokenFor(t, member.email);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).json().language, null);
      for (const language of ['xx', 'FR', 'fr-FR', 'english']) {
        expectProblem(await call(t, 'PUT', '/api/v1/me/language', { language }, token), 400, 'unsupported_language');
      }
      expectProblem(await call(t, 'PUT', '/api/v1/me/language', {}, token), 400, 'validation_failed');
      expectProblem(await call(t, 'PUT', '/api/v1/me/language', { language: 'it' }), 401, 'unauthenticated');
      assert.equal((await call(t, 'PUT', '/api/v1/me/language', { language: 'it' }, token)).statusCode, 200);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).json().language, 'it');
      assert.equal((await call(t, 'PUT', '/api/v1/me/language', { language: 'nl' }, token)).statusCode, 200);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).json().language, 'nl');
    });

    test('a French member receives the email code, and the notice of the new method, in French', async () => {
      const { member } = await memberSpeaking('fr', 'email');
      const setup = await signInExpecting(t, member.email, 'setup');
      let skip = smtp.messages.length;
      const created = await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'email' });
      assert.equal(created.statusCode, 201, created.body);
      const setupMail = await smtp.waitFor((m) => smtp.messages.indexOf(m) >= skip && m.to.includes(member.email));
      assert.equal(setupMail.subject, 'Polyglot GmbH : votre code pour configurer la vérification en deux étapes');
      assert.match(setupMail.text, /^Votre code pour configurer la vérification en deux étapes de Polyglot GmbH est :/);
      assert.match(setupMail.text, /Il expire dans 10 minutes\. Ne le partagez jamais/);
      const code = /\b(\d{6})\b/.exec(setupMail.text)![1]!;
      assert.equal((await confirm(t, setup.id, created.json().id, code)).statusCode, 200);

      skip = smtp.messages.length;
      await activate(t, setup.id);
      const notice = await smtp.waitFor((m) => smtp.messages.indexOf(m) >= skip && m.to.includes(member.email));
      assert.equal(notice.subject, 'Polyglot GmbH : une méthode de vérification a été ajoutée à votre compte');
      // The method as people say it, the date in French.
      assert.match(notice.text, /« E-mail .+ » a été ajouté/);
      assert.match(notice.text, /^Le \d{1,2} \S+ \d{4} à \d{2}:\d{2} UTC,/);

      t.clock.advance(30_000);
      const next = await signInExpecting(t, member.email, 'verify');
      skip = smtp.messages.length;
      assert.equal((await challenge(t, next.id, next.factors[0]!.id)).statusCode, 201);
      const signInMail = await smtp.waitFor((m) => smtp.messages.indexOf(m) >= skip && m.to.includes(member.email));
      assert.equal(signInMail.subject, 'Polyglot GmbH : votre code de connexion');
      assert.match(signInMail.text, /^Votre code pour vous connecter à Polyglot GmbH est :/);
    });

    test('a German member receives the text message code in German', async () => {
      const { member } = await memberSpeaking('de', 'sms');
      const phone = newPhone();
      const bodies = (): string[] => gateway.sent.filter((m) => m.To === phone).map((m) => m.Body ?? '');
      const smsCode = (): string => /\b(\d{6})\b/.exec(bodies().at(-1) ?? '')![1]!;
      await enrolSentCode(t, member.email, 'sms', phone, smsCode);
      assert.match(bodies()[0]!, /^\d{6} ist Ihr Polyglot GmbH-Code zum Einrichten der Bestätigung in zwei Schritten\. 10 Minuten gültig\. Geben Sie ihn nie weiter\.$/);

      const next = await signInExpecting(t, member.email, 'verify');
      assert.equal((await challenge(t, next.id, next.factors[0]!.id)).statusCode, 201);
      assert.match(bodies().at(-1)!, /^\d{6} ist Ihr Polyglot GmbH-Code zur Anmeldung\./);
    });

    test('a member who never chose a language is written to in English', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'email' }, 'Plain Ltd');
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const setup = await signInExpecting(t, member.email, 'setup');
      const skip = smtp.messages.length;
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'email' })).statusCode, 201);
      const mail = await smtp.waitFor((m) => smtp.messages.indexOf(m) >= skip && m.to.includes(member.email));
      assert.equal(mail.subject, 'Plain Ltd: your code to set up two-step verification');
    });
  });
}
