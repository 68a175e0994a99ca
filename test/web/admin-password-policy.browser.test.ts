/**
 * Global Settings → Password policy in Chromium: the master administrator changes the minimum
 * strength, the expiry, the notice and "must be changed at the next sign-in", saves with the same
 * Save Changes as two-step verification, and the API then holds exactly that; a member's
 * Organization tab shows the new minimum strength beside New password.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../support/harness.ts';
import { addMember, organizationWith, SETTINGS_URL, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

describe('Global Settings → Password policy in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t);
    const { page } = browser;
    await signInWithPassword(page, server.baseUrl, org.email);
    await page.waitForURL('**/account');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the policy is changed and saved with Save Changes; the member\'s tab shows the new minimum strength', async () => {
    const { page } = browser;
    const twoStepBefore = (await call(server.t, 'GET', SETTINGS_URL, undefined, org.masterToken)).json<Record<string, unknown>>();
    await page.goto(`${server.baseUrl}/admin/global-settings`);
    await page.getByRole('heading', { level: 2, name: 'Password policy' }).waitFor();
    const excellent = page.getByRole('radio', { name: /^Excellent/ });
    await excellent.focus();
    await page.keyboard.press('Space');
    assert.ok(await excellent.isChecked());
    await page.getByLabel('Passwords expire after (days)').fill('90');
    await page.getByLabel('Tell members this many days before').fill('14');
    await page.getByRole('checkbox', { name: 'A password set by an administrator must be changed at the next sign-in' }).focus();
    await page.keyboard.press('Space');
    await expectAccessible(page, 'Global Settings with the password policy');
    await screenshot(page, 'admin-global-settings-password-policy');
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.getByText('The settings are saved.').waitFor();

    const policy = (await call(server.t, 'GET', '/api/v1/settings/password-policy', undefined, org.masterToken)).json();
    assert.deepEqual(policy, { minimumStrength: 'excellent', maximumAgeDays: 90, expiryNoticeDays: 14, adminChangeForcesChange: true });
    const twoStepAfter = (await call(server.t, 'GET', SETTINGS_URL, undefined, org.masterToken)).json<Record<string, unknown>>();
    assert.deepEqual(twoStepAfter, twoStepBefore, 'two-step verification is saved as it was');

    // Drawn again from what the server holds.
    await page.reload();
    assert.ok(await page.getByRole('radio', { name: /^Excellent/ }).isChecked());
    assert.equal(await page.getByLabel('Passwords expire after (days)').inputValue(), '90');

    const member = await addMember(server.t, org, { label: 'policy' });
    await page.goto(`${server.baseUrl}/admin/org/member/${member.id}/organization`);
    await page.getByText(/Minimum strength: excellent/).waitFor();
    assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
  });
});
