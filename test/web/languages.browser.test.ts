/**
 * The website speaks the browser's language: the same sign-in and Protect your account in French and
 * in German show those languages (and `<html lang>`), a wrong password is told in German, and the
 * language selector switches an English page to Deutsch and remembers it. A member who chooses
 * Français once signed in keeps it on their record: their email code arrives in French, and the site
 * speaks French to them after sign-in in any browser; a language chosen on the sign-in page is saved
 * on the record once they are signed in, and a language chosen while the page is still reading the
 * member is not taken back by that read's answer.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, lastCode } from '../support/harness.ts';
import { enrolSentCode } from '../twoStep/_factors.ts';
import { addGroup, addMember, organizationWith, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { expectAccessible, oathtoolCode, openBrowser, screenshot, signInWithPassword, startWebServer, type WebServer } from './_browser.ts';

interface Labels {
  signIn: string; email: string; password: string; protect: string; mobileApp: string; next: string; appCode: string;
  verify: string; backup: string; activate: string;
}
const LABELS: Record<'fr' | 'de', Labels> = {
  fr: {
    signIn: 'Se connecter', email: 'E-mail', password: 'Mot de passe', protect: 'Protégez votre compte', mobileApp: 'Configurer l’application mobile',
    next: 'Suivant', appCode: 'Code affiché par l’application', verify: 'Vérifier', backup: 'Ajouter une méthode de secours', activate: 'Activer',
  },
  de: {
    signIn: 'Anmelden', email: 'E-Mail', password: 'Passwort', protect: 'Schützen Sie Ihr Konto', mobileApp: 'Mobile App einrichten',
    next: 'Weiter', appCode: 'Von der App angezeigter Code', verify: 'Bestätigen', backup: 'Ersatzmethode hinzufügen', activate: 'Aktivieren',
  },
};

describe('the website in French and German', () => {
  let server: WebServer;
  let org: OrgWithAdmin;
  let enforcedGroup: string;
  before(async () => {
    server = await startWebServer();
    org = await organizationWith(server.t, { technicians: 'selected_groups' });
    enforcedGroup = await addGroup(server.t, org, true);
  });
  after(async () => { await server?.close(); });

  for (const language of ['fr', 'de'] as const) {
    test(`sign-in and Protect your account in ${language}`, async () => {
      const browser = await openBrowser(language === 'fr' ? 'fr-FR' : 'de-DE');
      try {
        const { page } = browser;
        const labels = LABELS[language];
        const technician = await addMember(server.t, org, { technicianGroupId: enforcedGroup, label: language });
        await page.goto(`${server.baseUrl}/sign-in`);
        await page.getByRole('heading', { level: 1, name: labels.signIn }).waitFor();
        assert.equal(await page.getAttribute('html', 'lang'), language);
        await screenshot(page, `sign-in-${language}`);

        if (language === 'de') {
          await page.getByLabel(labels.email).fill(technician.email);
          await page.getByLabel(labels.password).fill('Wrong-Password-1');
          await page.getByRole('button', { name: labels.signIn }).click();
          await page.getByRole('alert').filter({ hasText: 'E-Mail-Adresse oder Passwort ist falsch.' }).waitFor();
          await expectAccessible(page, 'sign in with an error (de)');
        }

        await page.getByLabel(labels.email).fill(technician.email);
        await page.getByLabel(labels.password).fill(PASSWORD);
        await page.getByRole('button', { name: labels.signIn }).click();
        await page.getByRole('heading', { level: 1, name: labels.protect }).waitFor();
        await page.getByRole('heading', { level: 2, name: labels.mobileApp }).waitFor();
        await page.getByRole('button', { name: labels.next }).click();
        const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
        await page.getByLabel(labels.appCode).fill(await oathtoolCode(secret));
        await page.getByRole('button', { name: labels.verify }).click();
        await page.getByRole('heading', { level: 2, name: labels.backup }).waitFor();
        await expectAccessible(page, `backup step (${language})`);
        await screenshot(page, `protect-backup-${language}`);
        assert.deepEqual(browser.violations, []);
      } finally {
        await browser.close();
      }
    });
  }

  test('the language selector switches the page to Deutsch and remembers it', async () => {
    const browser = await openBrowser('en-US');
    try {
      const { page } = browser;
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByLabel('Language').selectOption({ label: 'Deutsch' });
      await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      await expectAccessible(page, 'sign in (de, chosen)');
      assert.deepEqual(browser.violations, []);
    } finally {
      await browser.close();
    }
  });

  test('a member who chose Français receives the email code in French, and the site follows them to another browser', async () => {
    const { t } = server;
    const french = await organizationWith(t, { technicians: 'all', primaryMethod: 'email' }, 'Lingua SARL');
    const member = await addMember(t, french, { technicianGroupId: await addGroup(t, french), label: 'francais' });
    await enrolSentCode(t, member.email, 'email', member.email);
    const emails = () => t.outbox.filter((m) => m.to === member.email);
    const language = async () => (await t.ctx.db.selectFrom('members').select('language').where('id', '=', member.id).executeTakeFirstOrThrow()).language;

    /** Signs in with the password and the code emailed to the member; answers that email. */
    async function signInWithEmailCode(page: import('playwright-core').Page, labels: { email: string; password: string; signIn: string; code: string; verify: string }) {
      const before = emails().length;
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByLabel(labels.email).fill(member.email);
      await page.getByLabel(labels.password).fill(PASSWORD);
      await page.getByRole('button', { name: labels.signIn }).click();
      await page.getByLabel(labels.code).waitFor();
      for (let i = 0; i < 50 && emails().length === before; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(emails().length, before + 1, 'the code was emailed');
      await page.getByLabel(labels.code).fill(lastCode(t, member.email));
      await page.getByRole('button', { name: labels.verify }).click();
      return emails().at(-1)!;
    }
    const english = { email: 'Email', password: 'Password', signIn: 'Sign in', code: 'Security code', verify: 'Verify' };

    // An English browser: the member signs in, then chooses Français on their account page.
    const first = await openBrowser('en-US');
    try {
      const { page } = first;
      const mail = await signInWithEmailCode(page, english);
      assert.match(mail.subject, /your code to sign in$/, 'nothing chosen yet: English');
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      await page.getByLabel('Language').selectOption({ label: 'Français' });
      await page.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor();
      for (let i = 0; i < 50 && await language() !== 'fr'; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await language(), 'fr', 'the choice is saved on the member');
      await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Se connecter' }).waitFor();
      assert.deepEqual(first.violations, []);
    } finally {
      await first.close();
    }

    // Another browser, in English and with nothing remembered: the code arrives in French, and once
    // signed in the site speaks the member's language rather than the browser's.
    const second = await openBrowser('en-US');
    try {
      const { page } = second;
      const mail = await signInWithEmailCode(page, english);
      assert.equal(mail.subject, 'Lingua SARL : votre code de connexion');
      assert.match(mail.text, /^Votre code pour vous connecter à Lingua SARL est :/);
      assert.match(mail.text, /Il expire dans 10 minutes\./);
      await page.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      await expectAccessible(page, 'account (fr, from the member\'s record)');
      await screenshot(page, 'account-fr');
      assert.deepEqual(second.violations, []);
    } finally {
      await second.close();
    }

    // A third browser: the member chooses Deutsch on the sign-in page, before signing in (and the page
    // is loaded again before they do). That choice is their latest word: once signed in the page stays
    // in German (the record's French does not take it back) and German is saved on the record.
    const third = await openBrowser('en-US');
    try {
      const { page } = third;
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByLabel('Language').selectOption({ label: 'Deutsch' });
      await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
      await signInWithEmailCode(page, { email: 'E-Mail', password: 'Passwort', signIn: 'Anmelden', code: 'Sicherheitscode', verify: 'Bestätigen' });
      await page.getByRole('heading', { level: 1, name: 'Ihr Konto' }).waitFor();
      for (let i = 0; i < 50 && await language() !== 'de'; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await language(), 'de', 'the choice made before sign-in is saved on the member');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Ihr Konto' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      assert.deepEqual(third.violations, []);
    } finally {
      await third.close();
    }
  });

  test('a language chosen while the page is reading the member again stays chosen, on the page and on the record', async () => {
    const { t } = server;
    const admin = await organizationWith(t, {}, 'Sprachen GmbH');
    await t.ctx.db.updateTable('members').set({ language: 'fr' }).where('id', '=', admin.masterId).execute();
    const language = async () => (await t.ctx.db.selectFrom('members').select('language').where('id', '=', admin.masterId).executeTakeFirstOrThrow()).language;
    const browser = await openBrowser('en-US');
    try {
      const { page } = browser;
      await signInWithPassword(page, server.baseUrl, admin.email);
      await page.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor();

      // The Admin Center reads the member again on opening. That read is answered from the record as
      // it is now (French), and the answer held back until Deutsch has been chosen meanwhile.
      let release!: () => void;
      const released = new Promise<void>((resolve) => { release = resolve; });
      let held = 0;
      await page.route('**/api/v1/me', async (route) => {
        if (route.request().method() !== 'GET') return route.continue();
        const response = await route.fetch();
        held++;
        await released;
        await route.fulfill({ response });
      });
      await page.locator('.header-nav a').click();
      await page.waitForURL('**/admin**');
      for (let i = 0; i < 100 && held === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(held, 1, 'the Admin Center read the member');
      await page.locator('select').first().selectOption('de');
      await page.waitForFunction(() => document.documentElement.lang === 'de');
      for (let i = 0; i < 50 && await language() !== 'de'; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await language(), 'de', 'the choice is saved on the member');

      // The held answer, read before the choice, says French: the page stays in German.
      const answered = page.waitForResponse((response) => response.url().endsWith('/api/v1/me') && response.request().method() === 'GET');
      release();
      await answered;
      await page.waitForTimeout(500);
      assert.equal(await page.getAttribute('html', 'lang'), 'de');

      // Italiano chosen while its save is slow: the account page, opened meanwhile, reads the member
      // while the record still says Deutsch. The page stays in Italian, and the record says it once saved.
      let releaseSave!: () => void;
      const saveReleased = new Promise<void>((resolve) => { releaseSave = resolve; });
      let saves = 0;
      await page.route('**/api/v1/me/language', async (route) => {
        saves++;
        await saveReleased;
        await route.continue();
      });
      await page.locator('select').first().selectOption('it');
      await page.waitForFunction(() => document.documentElement.lang === 'it');
      for (let i = 0; i < 100 && saves === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(saves, 1, 'the choice is being saved');
      const readAgain = page.waitForResponse((response) => response.url().endsWith('/api/v1/me') && response.request().method() === 'GET');
      await page.locator('.header-nav a').click();
      await page.waitForURL('**/account');
      assert.equal((await (await readAgain).json() as { language: string }).language, 'de', 'read before the save');
      await page.waitForTimeout(500);
      assert.equal(await page.getAttribute('html', 'lang'), 'it');
      releaseSave();
      for (let i = 0; i < 50 && await language() !== 'it'; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await language(), 'it', 'the choice is saved on the member');
      assert.equal(await page.getAttribute('html', 'lang'), 'it');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Il tuo account' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'it');
      assert.equal(await language(), 'it');
      assert.deepEqual(browser.violations, []);
    } finally {
      await browser.close();
    }
  });
});
