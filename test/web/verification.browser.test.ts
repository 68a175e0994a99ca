/**
 * The code-by-message methods and the end states, in Chromium. A member whose organization's primary
 * method is text message sets it up (phone, code, Finish text setup) and adds email as a backup, each
 * with the code read from the outbox; at the next sign-in the text message goes out by itself, the
 * resend waits for its countdown, and "Use another method" switches to email. Five wrong codes end a
 * sign-in with a plain page; a recovery code gets the member in once, and only once.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, lastCode, type TransactionBody } from '../support/harness.ts';
import { addGroup, addMember, organizationWith, saveSettings, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { bindSentCode, newPhone, signInExpecting } from '../twoStep/_factors.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

describe('text message, email and recovery codes in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  let group: string;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t, { technicians: 'selected_groups' });
    await saveSettings(server.t, org.masterToken, { technicians: 'selected_groups', primaryMethod: 'sms', allowedMethods: ['totp', 'sms', 'email'] });
    group = await addGroup(server.t, org, true);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(email: string) {
    const { page } = browser;
    await signInWithPassword(page, server.baseUrl, email);
  }

  test('text message set-up, an email backup, then a sign-in by text message with a resend and by email', async () => {
    const { page } = browser;
    const { t } = server;
    const member = await addMember(t, org, { technicianGroupId: group, label: 'texts' });
    const phone = newPhone();
    const backupEmail = `backup-${member.email}`;

    await signIn(member.email);
    await page.getByRole('heading', { level: 2, name: 'Set up text message' }).waitFor();
    await page.getByLabel('Phone number').fill(phone);
    await expectAccessible(page, 'set up text message');
    await screenshot(page, 'protect-text-1-phone');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { level: 2, name: 'Verify phone number' }).waitFor();
    await screenshot(page, 'protect-text-2-code');
    await page.getByLabel('Code', { exact: true }).fill(lastCode(t, phone));
    await page.getByRole('button', { name: 'Finish text setup' }).click();

    await page.getByRole('heading', { level: 2, name: 'Add a backup method' }).waitFor();
    await page.getByRole('button', { name: 'Set up email' }).click();
    await page.getByLabel('Email address').fill(backupEmail);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { level: 2, name: 'Verify email address' }).waitFor();
    await page.getByLabel('Code', { exact: true }).fill(lastCode(t, backupEmail));
    await page.getByRole('button', { name: 'Finish email setup' }).click();
    await page.getByRole('heading', { level: 2, name: 'Add a backup method' }).waitFor();
    await page.getByText('Set up: Text message, Email').waitFor();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('I have kept my recovery codes somewhere safe').click();
    await page.getByRole('link', { name: 'Continue to my account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    // The next sign-in texts a code by itself, unless the last one (at set-up) is under 30 seconds
    // old: then the page counts down to when a new one may be sent. Either way the resend waits.
    const sentBefore = t.outbox.filter((m) => m.to === phone).length;
    await signIn(member.email);
    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
    await page.getByText(`Type the 6-digit code we sent by text message to ···${phone.slice(-4)}.`).waitFor();
    await page.getByText(/You can ask for a new code in \d+ seconds?\./).waitFor();
    const resend = page.getByRole('button', { name: 'Send a new code' });
    assert.equal(await resend.isDisabled(), true, 'no resend before the countdown ends');
    assert.equal(await page.locator('[role=alert]').first().textContent(), '', 'the wait is no error');
    await expectAccessible(page, 'verify by text message');
    await screenshot(page, 'verify-text-message');
    await page.waitForFunction(() => ![...document.querySelectorAll('button')].find((b) => b.textContent === 'Send a new code')?.disabled, undefined, { timeout: 40_000 });
    const beforeResend = t.outbox.filter((m) => m.to === phone).length;
    assert.ok(beforeResend <= sentBefore + 1);
    await resend.click();
    await page.getByRole('status').filter({ hasText: 'A new code is on its way.' }).waitFor();
    for (let i = 0; i < 50 && t.outbox.filter((m) => m.to === phone).length === beforeResend; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(t.outbox.filter((m) => m.to === phone).length, beforeResend + 1, 'the resend sent a text message');
    await page.getByText(/You can ask for a new code in \d+ seconds?\./).waitFor();

    // Another method: email. Its code arrives by email and signs the member in.
    await page.getByRole('button', { name: 'Use another method' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose how to verify' }).waitFor();
    await expectAccessible(page, 'choose a method');
    const emails = () => t.outbox.filter((m) => m.to === backupEmail).length;
    const emailsBefore = emails();
    await page.getByText(/^Email:/).click();
    assert.equal(await page.getByRole('radio', { name: /^Email:/ }).isChecked(), true);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
    // Its set-up code may be under 30 seconds old: then the page counts down and the resend sends it.
    for (let i = 0; i < 20 && emails() === emailsBefore; i++) await new Promise((r) => setTimeout(r, 100));
    if (emails() === emailsBefore) {
      await page.waitForFunction(() => ![...document.querySelectorAll('button')].find((b) => b.textContent === 'Send a new code')?.disabled, undefined, { timeout: 40_000 });
      await resend.click();
      for (let i = 0; i < 50 && emails() === emailsBefore; i++) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(emails(), emailsBefore + 1, 'a code was emailed');
    await page.getByLabel('Security code').fill(lastCode(t, backupEmail));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.deepEqual(browser.violations, []);
  });

  test('five wrong codes end the sign-in plainly; a recovery code gets the member in once', async () => {
    const { page } = browser;
    const { t } = server;
    const member = await addMember(t, org, { technicianGroupId: group, label: 'recovers' });
    // Set up through the API: a text message factor, and the recovery codes Activate answers.
    const phone = newPhone();
    const setup = await signInExpecting(t, member.email, 'setup');
    await bindSentCode(t, setup.id, 'sms', phone);
    const activated = await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`, {});
    assert.equal(activated.statusCode, 200, activated.body);
    const recoveryCodes = (activated.json() as TransactionBody & { recoveryCodes: string[] }).recoveryCodes;
    const recoveryCode = recoveryCodes[0] ?? assert.fail('no recovery codes');

    await signIn(member.email);
    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
    const right = lastCode(t, phone);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      await page.getByLabel('Security code').fill(wrong);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').filter({ hasText: `${left} attempt${left === 1 ? '' : 's'} left before this sign-in ends.` }).waitFor();
    }
    await page.getByLabel('Security code').fill(wrong);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign-in stopped' }).waitFor();
    await expectAccessible(page, 'sign-in stopped');
    await screenshot(page, 'verify-failed');

    // A recovery code, typed in capitals with spaces: in, once.
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await signIn(member.email);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Use a recovery code' }).waitFor();
    await expectAccessible(page, 'use a recovery code');
    await screenshot(page, 'verify-recovery-code');
    await page.getByLabel('Recovery code').fill(recoveryCode.toUpperCase().replaceAll('-', ' '));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    await signIn(member.email);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not correct or has expired. 4 attempts left' }).waitFor();
    assert.deepEqual(browser.violations, []);
  });
});
