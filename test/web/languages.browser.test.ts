/**
 * The website speaks the browser's language: the same sign-in and Protect your account in French and
 * in German show those languages (and `<html lang>`), a wrong password is told in German, and the
 * language selector switches an English page to Deutsch and remembers it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD } from '../support/harness.ts';
import { addGroup, addMember, organizationWith, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { expectAccessible, oathtoolCode, openBrowser, screenshot, startWebServer, type WebServer } from './_browser.ts';

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
});
