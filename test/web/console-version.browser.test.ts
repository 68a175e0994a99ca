/**
 * A Technician Console version that cannot use a method, in Chromium. Consoles 7.50.3572 and earlier
 * cannot use email verification: a member whose only method is email is refused there
 * (`console_email_only`). The page the console sends them to says so plainly, with what to do, and
 * tells an old version from a new one as the sign-in does; their account page warns them too and
 * links to it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, consoleSignIn, lastCode } from '../support/harness.ts';
import { addGroup, addMember, expectProblem, organizationWith, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { bindSentCode, signInExpecting } from '../twoStep/_factors.ts';
import { expectAccessible, openBrowser, screenshot, startWebServer, type Browser, type WebServer } from './_browser.ts';

describe('a Technician Console version that cannot use a method, in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  let group: string;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t, { technicians: 'selected_groups', primaryMethod: 'email', allowedMethods: ['totp', 'sms', 'email'] });
    group = await addGroup(server.t, org, true);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('an email-only member refused by an old console reads why and what to do, and their account says it too', async () => {
    const { page } = browser;
    const { t } = server;
    const member = await addMember(t, org, { technicianGroupId: group, label: 'email-only' });
    const setup = await signInExpecting(t, member.email, 'setup');
    await bindSentCode(t, setup.id, 'email', member.email);
    assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`, {})).statusCode, 200);

    // The server's verdict: the old console is refused (a newer one is not: at the end, as it sends a code).
    expectProblem((await consoleSignIn(t, member.email, PASSWORD, '7.50.3572')).response, 403, 'console_email_only');

    // The page agrees with it, version by version.
    await page.goto(`${server.baseUrl}/technician-console?version=7.100.0`);
    await page.getByText('Your Technician Console is version 7.100.0: it can use email verification. Sign in again from it.').waitFor();
    await page.goto(`${server.baseUrl}/technician-console?version=7.50.3572`);
    await page.getByRole('heading', { level: 1, name: 'This Technician Console cannot use email verification' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'the heading has the focus');
    await page.getByText('Technician Console 7.50.3572 and earlier cannot use codes sent by email.', { exact: false }).waitFor();
    await page.getByText('Your Technician Console is version 7.50.3572: it is one of them.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'What you can do' }).waitFor();
    assert.equal(await page.getByRole('listitem').count(), 3);
    await expectAccessible(page, 'the console version page');
    await screenshot(page, 'technician-console-version');

    // From the keyboard to the website's sign-in.
    const signInLink = page.getByRole('link', { name: 'Sign in on the website' });
    for (let i = 0; i < 10 && !await signInLink.evaluate((link) => link === document.activeElement); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(PASSWORD);
    const sentBefore = t.outbox.length;
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
    const codeSent = () => t.outbox.slice(sentBefore).some((m) => m.to === member.email && /\b\d{6}\b/.test(m.text));
    for (let i = 0; i < 50 && !codeSent(); i++) await new Promise((r) => setTimeout(r, 100));
    await page.getByLabel('Security code').fill(lastCode(t, member.email));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByText('Your only method is email. Technician Console 7.50.3572 and earlier cannot use it', { exact: false }).waitFor();
    await expectAccessible(page, 'the account of an email-only member');
    await page.getByRole('link', { name: 'About older Technician Consoles' }).click();
    await page.getByRole('heading', { level: 1, name: 'This Technician Console cannot use email verification' }).waitFor();
    assert.equal((await consoleSignIn(t, member.email, PASSWORD, '7.100.0')).body.state, 'verify');
    assert.deepEqual(browser.violations, []);
  });
});
