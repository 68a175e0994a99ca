/**
 * Protect your account, in Chromium, where more than the password is asked: a member for whom an
 * administrator issued a setup code is told so at the start and types it at Activate (a wrong one
 * counted, the right one typed as people do); a member whose only method the organization switched
 * off first confirms it is them with that method's code, then sets up an allowed one.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, lastCode } from '../support/harness.ts';
import { addGroup, addMember, organizationWith, saveSettings, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { bindSentCode, bindTotp, confirm, newPhone, secretOf, signInExpecting } from '../twoStep/_factors.ts';
import { expectAccessible, oathtoolCode, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

describe('setup codes and a method switched off, in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  let group: string;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t, { technicians: 'selected_groups' });
    group = await addGroup(server.t, org, true);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(email: string) {
    const { page } = browser;
    await signInWithPassword(page, server.baseUrl, email);
    await page.getByRole('heading', { level: 1, name: 'Protect your account' }).waitFor();
  }

  /** Set up mobile app with the key read from the page and a code from oathtool. */
  async function setUpMobileApp() {
    const { page } = browser;
    await page.getByRole('button', { name: 'Next' }).click();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await page.getByLabel('Code shown by the app').fill(await oathtoolCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
  }

  test('a setup code from an administrator: announced at the start, typed at Activate', async () => {
    const { page } = browser;
    const { t } = server;
    const member = await addMember(t, org, { technicianGroupId: group, label: 'setup-code' });
    const issued = await call(t, 'POST', `/api/v1/members/${member.id}/setup-code`, undefined, org.masterToken);
    assert.equal(issued.statusCode, 201, issued.body);
    const { setupCode } = issued.json() as { setupCode: string };

    await signIn(member.email);
    await page.getByText('Your administrator issued a setup code for you.', { exact: false }).waitFor();
    await setUpMobileApp();
    await page.getByRole('button', { name: 'Continue without a backup' }).click();
    await page.getByRole('heading', { level: 2, name: 'Activate' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Activate', 'the step\'s heading has the focus');

    const field = page.getByLabel('Setup code from your administrator');
    await field.fill('0000-0000-0000-0000');
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not correct or has expired. 4 attempts left before this sign-in ends.' }).waitFor();
    await expectAccessible(page, 'Activate with a setup code');
    await screenshot(page, 'protect-setup-code');

    // Typed as people do: upper case, spaces for dashes.
    await field.fill(setupCode.toUpperCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('I have kept my recovery codes somewhere safe').click();
    await page.getByRole('link', { name: 'Continue to my account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    // The code is used: an administrator's record of the member no longer holds one back.
    const stored = await t.ctx.db.selectFrom('setup_codes').select('member_id').where('member_id', '=', member.id).execute();
    assert.deepEqual(stored, []);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.deepEqual(browser.violations, []);
  });

  test('a method switched off: confirm with it first, then set up an allowed one', async () => {
    const { page } = browser;
    const { t } = server;
    await saveSettings(t, org.masterToken, { technicians: 'selected_groups', primaryMethod: 'totp', allowedMethods: ['totp', 'sms', 'email'] });
    // The member set up the app and text messages, then removed the app; text messages are then switched off.
    const member = await addMember(t, org, { technicianGroupId: group, label: 'switched-off' });
    const setup = await signInExpecting(t, member.email, 'setup');
    const app = await bindTotp(t, setup.id);
    assert.equal((await confirm(t, setup.id, app.factorId, await oathtoolCode(secretOf(app.otpauthUri)))).statusCode, 200);
    const phone = newPhone();
    await bindSentCode(t, setup.id, 'sms', phone);
    assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`, {})).statusCode, 200);
    await t.ctx.db.deleteFrom('factors').where('id', '=', app.factorId).execute();
    await saveSettings(t, org.masterToken, { technicians: 'selected_groups', primaryMethod: 'totp', allowedMethods: ['totp', 'email'] });

    await signIn(member.email);
    await page.getByRole('heading', { level: 2, name: 'Confirm it\'s you' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Confirm it\'s you', 'the step\'s heading has the focus');
    await page.getByText('Your organization no longer allows what you set up (Text message).', { exact: false }).waitFor();
    await page.getByRole('radio', { name: /^Text message/ }).waitFor();
    await page.getByRole('radio', { name: 'A recovery code' }).waitFor();
    // No other way forward than the proof: no set-up button on this step.
    assert.equal(await page.getByRole('button', { name: 'Next' }).count(), 0);
    await expectAccessible(page, 'Confirm it\'s you');
    await screenshot(page, 'protect-confirm-its-you');

    const sentBefore = t.outbox.filter((m) => m.to === phone).length;
    await page.getByRole('button', { name: 'Send the code' }).click();
    await page.getByRole('status').filter({ hasText: 'A code is on its way to' }).waitFor();
    for (let i = 0; i < 50 && t.outbox.filter((m) => m.to === phone).length === sentBefore; i++) await new Promise((r) => setTimeout(r, 100));
    await page.getByLabel('Security code').fill(lastCode(t, phone));
    await page.getByRole('button', { name: 'Confirm' }).click();

    // Proved: the set-up goes on with the primary method, the proof shown done in the progress.
    await page.getByRole('heading', { level: 2, name: 'Set up mobile app' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Thank you. Now set up a method your organization allows.' }).waitFor();
    await page.getByText('Confirm it\'s you (done)').waitFor();
    await expectAccessible(page, 'set up after the proof');
    await setUpMobileApp();
    await page.getByRole('button', { name: 'Continue without a backup' }).click();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('I have kept my recovery codes somewhere safe').click();
    await page.getByRole('link', { name: 'Continue to my account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    const factors = await t.ctx.db.selectFrom('factors').select('type').where('member_id', '=', member.id).where('confirmed_at', 'is not', null).execute();
    assert.ok(factors.some((f) => f.type === 'totp'), JSON.stringify(factors));
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    assert.deepEqual(browser.violations, []);
  });
});

describe('set-up from a held session, in a browser', () => {
  let server: WebServer;
  let browser: Browser;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a master administrator whose saved settings now cover them is led into set-up from any refused page', async () => {
    const { page } = browser;
    const { t } = server;
    const org = await organizationWith(t);
    const other = await addMember(t, org, { role: 'master_administrator', label: 'held-master' });

    await signInWithPassword(page, server.baseUrl, other.email);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();

    // Another master administrator ticks their role: this password-only session is now held.
    await saveSettings(t, org.masterToken, { masterAdministrators: true });
    await page.reload();
    await page.getByText('Your organization now asks you to use two-step verification, and it is not set up yet.').waitFor();

    // Any refused request leads into set-up: here the Admin Center's first read.
    await page.goto(`${server.baseUrl}/admin`);
    await page.waitForURL((url) => url.pathname === '/account/two-step-setup');
    await page.getByRole('heading', { level: 1, name: 'Set up two-step verification' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Set up two-step verification', 'the heading has the focus');
    await expectAccessible(page, 'set up from the session');
    await screenshot(page, 'two-step-setup-from-session');

    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Set it up' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or password is not correct.' }).waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set it up' }).click();

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
    await page.getByText('On: you confirm each sign-in with one of your methods.').waitFor();

    // Activate's session replaced the held one: the Admin Center opens.
    await page.getByRole('link', { name: 'Admin Center' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');
    await page.getByRole('heading', { level: 1, name: 'Admin Center' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin');
    assert.deepEqual(browser.violations, []);
  });
});
