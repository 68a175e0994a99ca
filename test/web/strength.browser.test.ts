/**
 * The live strength meter, in Chromium, wherever a new password is typed: it measures against the
 * organization's policy from the API as the member types (a weak then a strong password change what
 * it says, in words, with a polite status), and the server's verdict on the same passwords agrees.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { PASSWORD, call, uniqueEmail } from '../support/harness.ts';
import { addGroup, addMember, organizationWith, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

/** Three kinds with a repeat: Good, below the Strong this organization asks for. */
const GOOD = 'Goodpass11';
/** Four kinds with a repeat: Strong. */
const STRONG = 'Goodpass-1';

function emailedInvitation(server: WebServer, to: string): string {
  const message = [...server.t.outbox].reverse().find((m) => m.to === to && m.text.includes('/invitations/'));
  assert.ok(message, `no invitation was emailed to ${to}`);
  return /\/invitations\/[A-Za-z0-9_-]+/.exec(message.text)?.[0] ?? assert.fail('no link in the email');
}

/** The meter's polite status line, its value and the rules with their state, as a screen reader reads them. */
async function meterSays(page: Page) {
  const meter = page.getByRole('meter', { name: 'Password strength' });
  return {
    status: (await page.locator('.strength-status').textContent()) ?? '',
    live: await page.locator('.strength-status').getAttribute('role'),
    value: await meter.getAttribute('aria-valuetext'),
    rules: (await page.getByRole('list', { name: 'What your organization asks for' }).getByRole('listitem').allTextContents()).map((text) => text.replace(/^[✓○]/, '')),
  };
}

describe('the password strength meter in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  let group: string;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t);
    group = await addGroup(server.t, org);
    const policy = { minimumStrength: 'strong', maximumAgeDays: 0, expiryNoticeDays: 14, adminChangeForcesChange: false };
    assert.equal((await call(server.t, 'PUT', '/api/v1/settings/password-policy', policy, org.masterToken)).statusCode, 200);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('on the invitation page: weak, then good but short of the policy, then strong; the server agrees each time', async () => {
    const { page } = browser;
    const email = uniqueEmail('meter');
    const created = await call(server.t, 'POST', '/api/v1/members', { name: 'Mia Meter', email, technicianGroupId: group }, org.masterToken);
    assert.equal(created.statusCode, 201, created.body);
    await page.goto(`${server.baseUrl}${emailedInvitation(server, email)}`);
    await page.getByRole('heading', { level: 1, name: 'Welcome to Twofold' }).waitFor();

    const empty = await meterSays(page);
    assert.equal(empty.live, 'status');
    assert.equal(empty.status, 'Your organization asks for a strong password or better. The rules below show what it needs.');

    const field = page.getByLabel('New password', { exact: true });
    await field.pressSequentially('abc');
    assert.deepEqual(await meterSays(page), {
      status: 'Weak: not enough yet. Your organization asks for strong or better.', live: 'status', value: 'Weak',
      rules: [
        'At least 8 characters (not yet)',
        'At least 3 of: lower case, upper case, digits, special characters (not yet)',
        'No character twice in a row (as in “aa”), or all 4 kinds of characters (done)',
      ],
    });

    await field.fill(GOOD);
    const good = await meterSays(page);
    assert.equal(good.status, 'Good: not enough yet. Your organization asks for strong or better.');
    assert.equal(good.value, 'Good');
    assert.deepEqual(good.rules.map((rule) => rule.endsWith('(done)')), [true, true, false]);
    await expectAccessible(page, 'the meter, short of the policy');
    await screenshot(page, 'password-strength-short');
    // The server says the same of it.
    await page.getByLabel('New password again').fill(GOOD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText("This password does not meet your organization's password policy.").waitFor();

    await field.fill(STRONG);
    const strong = await meterSays(page);
    assert.equal(strong.status, 'Strong: enough. Your organization asks for strong or better.');
    assert.equal(strong.value, 'Strong');
    assert.ok(strong.rules.every((rule) => rule.endsWith('(done)')), JSON.stringify(strong.rules));
    await page.getByLabel('New password again').fill(STRONG);
    await expectAccessible(page, 'the meter, enough');
    await screenshot(page, 'password-strength-enough');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is set.' }).waitFor();
    assert.deepEqual(browser.violations, []);
  });

  test('on the account page the policy comes from the member\'s own record, and the server agrees', async () => {
    const { page } = browser;
    const member = await addMember(server.t, org, { technicianGroupId: group, label: 'meter-account' });
    await signInWithPassword(page, server.baseUrl, member.email);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();

    // A wrong current password first: once corrected, the form can be sent again.
    await page.getByLabel('Current password').fill('not the password');
    await page.getByLabel('New password', { exact: true }).fill(`${STRONG}x`);
    await page.getByLabel('New password again').fill(`${STRONG}x`);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The email or password is not correct.').waitFor();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(GOOD);
    assert.equal((await meterSays(page)).status, 'Good: not enough yet. Your organization asks for strong or better.');
    await page.getByLabel('New password again').fill(GOOD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText("This password does not meet your organization's password policy.").waitFor();

    await page.getByLabel('New password', { exact: true }).fill(`${STRONG}x`);
    assert.equal((await meterSays(page)).status, 'Strong: enough. Your organization asks for strong or better.');
    await page.getByLabel('New password again').fill(`${STRONG}x`);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    assert.deepEqual(browser.violations, []);
  });
});
