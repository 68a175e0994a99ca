/**
 * The emailed links, in Chromium: an invitation accepted in the browser, with Protect your account in
 * the same flow when the member must use two-step verification; a forgotten password asked for on the
 * page, and the reset link's new password confirmed with the member's second factor before it counts.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, tokenFor, uniqueEmail } from '../support/harness.ts';
import { MESSAGE_TEXTS } from '../../src/delivery/texts/index.ts';
import { addGroup, addMember, organizationWith, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { bindTotp, confirm, secretOf, signInExpecting } from '../twoStep/_factors.ts';
import { expectAccessible, oathtoolCode, oathtoolCodeAtStep, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

const NEW_PASSWORD = 'Brand-New-Horse-7';

/** The path of the page link in the latest email to `to` that holds one. */
function emailedLink(server: WebServer, to: string, kind: 'invitations' | 'password-reset'): string {
  const message = [...server.t.outbox].reverse().find((m) => m.to === to && m.text.includes(`/${kind}/`));
  assert.ok(message, `no ${kind} link was emailed to ${to}`);
  return new RegExp(`/${kind}/[A-Za-z0-9_-]+`).exec(message.text)?.[0] ?? assert.fail('no link in the email');
}

describe('invitation and password reset pages in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  let enforcedGroup: string;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t, { technicians: 'selected_groups' });
    enforcedGroup = await addGroup(server.t, org, true);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('an invitation is accepted in the browser and goes on with Protect your account', async () => {
    const { page } = browser;
    const email = uniqueEmail('invited');
    const created = await call(server.t, 'POST', '/api/v1/members', { name: 'Ivy Invited', email, technicianGroupId: enforcedGroup }, org.masterToken);
    assert.equal(created.statusCode, 201, created.body);

    await page.goto(`${server.baseUrl}${emailedLink(server, email, 'invitations')}`);
    await page.getByRole('heading', { level: 1, name: 'Welcome to Twofold' }).waitFor();
    await page.getByText(`Ivy Invited, choose your password for Acme Support. You will sign in with ${email}.`).waitFor();
    await expectAccessible(page, 'invitation');
    await screenshot(page, 'invitation');

    // Two different passwords are caught on the page; the server judges the rest.
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(`${NEW_PASSWORD}x`);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('The two passwords are not the same.').waitFor();
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();

    await page.getByRole('heading', { level: 1, name: 'Protect your account' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await page.getByLabel('Code shown by the app').fill(await oathtoolCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Continue without a backup' }).click();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('I have kept my recovery codes somewhere safe').click();
    await page.getByRole('link', { name: 'Continue to my account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByText(`Signed in as Ivy Invited (${email})`).waitFor();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    // The link works once.
    await page.goto(`${server.baseUrl}${emailedLink(server, email, 'invitations')}`);
    await page.getByRole('heading', { level: 1, name: 'This link cannot be used' }).waitFor();
    await expectAccessible(page, 'used invitation');
    assert.deepEqual(browser.violations, []);
  });

  test('an invitation accepted in a French browser makes French the member\'s language, for the site and the emails that follow', async () => {
    const { t } = server;
    const email = uniqueEmail('invite-fr');
    const created = await call(t, 'POST', '/api/v1/members', { name: 'Inès Invitée', email, technicianGroupId: await addGroup(t, org, false) }, org.masterToken);
    assert.equal(created.statusCode, 201, created.body);
    const french = await openBrowser('fr-FR');
    try {
      const { page } = french;
      await page.goto(`${server.baseUrl}${emailedLink(server, email, 'invitations')}`);
      await page.getByRole('heading', { level: 1, name: 'Bienvenue dans Twofold' }).waitFor();
      await expectAccessible(page, 'invitation (fr)');
      await screenshot(page, 'invitation-fr');
      // By keyboard: the heading has the focus, Tab reaches both fields, Enter sends.
      await page.keyboard.press('Tab');
      await page.keyboard.type(NEW_PASSWORD);
      await page.keyboard.press('Tab');
      await page.keyboard.type(NEW_PASSWORD);
      await page.keyboard.press('Enter');
      await page.getByRole('link', { name: 'Se connecter' }).waitFor();
      assert.deepEqual(french.violations, []);
    } finally {
      await french.close();
    }
    const me = await call(t, 'GET', '/api/v1/me', undefined, await tokenFor(t, email, NEW_PASSWORD));
    assert.equal(me.json<{ language: string | null }>().language, 'fr');
    // The next email sent to them (a password reset they ask for) is in French.
    assert.equal((await call(t, 'POST', '/api/v1/password-resets', { email })).statusCode, 202);
    // The link is emailed after the answer.
    const resetMail = () => t.outbox.find((m) => m.to === email && m.text.includes('/password-reset/'));
    for (let i = 0; i < 200 && !resetMail(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const reset = resetMail()!;
    assert.equal(reset.subject, MESSAGE_TEXTS.fr.passwordReset({ org: 'Acme Support', expires: '' }).subject);
  });

  test('a forgotten password: the link by email, the new password confirmed with the second factor', async () => {
    const { page } = browser;
    const { t } = server;
    const member = await addMember(t, org, { technicianGroupId: enforcedGroup, label: 'forgets' });
    // Set up through the API: an authenticator app, whose codes oathtool reads from its key.
    const setup = await signInExpecting(t, member.email, 'setup');
    const totp = await bindTotp(t, setup.id);
    const secret = secretOf(totp.otpauthUri);
    assert.equal((await confirm(t, setup.id, totp.factorId, await oathtoolCode(secret))).statusCode, 200);
    assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`, {})).statusCode, 200);

    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('Email').fill(member.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').filter({ hasText: `If ${member.email} is a member's address, a link is on its way.` }).waitFor();
    await expectAccessible(page, 'forgot your password');
    await screenshot(page, 'forgot-password');

    // The email is sent after the answer.
    for (let i = 0; i < 50 && !t.outbox.some((m) => m.to === member.email && m.text.includes('/password-reset/')); i++) await new Promise((r) => setTimeout(r, 100));
    await page.goto(`${server.baseUrl}${emailedLink(server, member.email, 'password-reset')}`);
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await page.getByText('You will confirm the change with your two-step verification.').waitFor();
    await expectAccessible(page, 'password reset');
    await screenshot(page, 'password-reset');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();

    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
    // The step used to confirm the set-up cannot count again: the next one.
    await page.getByLabel('Security code').fill(await oathtoolCode(secret, 30));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Your password is changed. Sign in with it.' }).waitFor();

    // The old password no longer works; the new one does (then the code again).
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or password is not correct.' }).waitFor();
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
    assert.deepEqual(browser.violations, []);
  });

  test('a password change on the account page asks for the second factor, then comes back', async () => {
    const { page } = browser;
    const { t } = server;
    const member = await addMember(t, org, { technicianGroupId: enforcedGroup, label: 'changes' });
    const setup = await signInExpecting(t, member.email, 'setup');
    const totp = await bindTotp(t, setup.id);
    const secret = secretOf(totp.otpauthUri);
    assert.equal((await confirm(t, setup.id, totp.factorId, await oathtoolCode(secret))).statusCode, 200);
    assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`, {})).statusCode, 200);
    const confirmedAtStep = Math.floor(Date.now() / 30_000);

    await signInWithPassword(page, server.baseUrl, member.email);
    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
    // Each code names its step, so a step boundary falling between two of them changes nothing: the
    // server takes one step ahead and one behind, and never a step used before.
    await page.getByLabel('Security code').fill(await oathtoolCodeAtStep(secret, confirmedAtStep + 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();

    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByText('Sign out my other sessions').click();
    await expectAccessible(page, 'account with the password form');
    await screenshot(page, 'account-change-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();

    // The steps used so far cannot count again; the one after them becomes acceptable once the step
    // before it has begun.
    const waitMs = (confirmedAtStep + 1) * 30_000 - Date.now() + 500;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    await page.getByLabel('Security code').fill(await oathtoolCodeAtStep(secret, confirmedAtStep + 2));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/account');

    // The new password is the one that works now.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
    assert.deepEqual(browser.violations, []);
  });
});
