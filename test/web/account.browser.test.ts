/**
 * The account page's two-step verification, in Chromium: new recovery codes and removing a method
 * each ask the member to confirm with a method first (here a code emailed to their backup), then go on;
 * a backup is added again, and the authenticator app re-paired with Start pairing again.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, lastCode } from '../support/harness.ts';
import { addGroup, addMember, organizationWith } from '../twoStep/_fixtures.ts';
import { bindSentCode, bindTotp, confirm, secretOf, signInExpecting } from '../twoStep/_factors.ts';
import { expectAccessible, oathtoolCode, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

describe('the account page in a browser', () => {
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

  test('new recovery codes and removing a method, each after confirming with a method', async () => {
    const { page } = browser;
    const { t } = server;
    const org = await organizationWith(t, { technicians: 'selected_groups' });
    const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org, true), label: 'manages' });
    const backup = `backup-${member.email}`;
    const setup = await signInExpecting(t, member.email, 'setup');
    const totp = await bindTotp(t, setup.id);
    const secret = secretOf(totp.otpauthUri);
    assert.equal((await confirm(t, setup.id, totp.factorId, await oathtoolCode(secret))).statusCode, 200);
    await bindSentCode(t, setup.id, 'email', backup);
    assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`, {})).statusCode, 200);

    await signInWithPassword(page, server.baseUrl, member.email);
    await page.getByLabel('Security code').fill(await oathtoolCode(secret, 30));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByText('You have 10 recovery codes left.').waitFor();
    // The sign-in's own verification counts as recent for ten minutes: made old, so the page must ask.
    await t.ctx.db.updateTable('sessions').set({ reauthenticated_at: 0 }).where('member_id', '=', member.id).execute();

    await page.getByRole('button', { name: 'Get new recovery codes' }).click();
    await page.getByRole('heading', { level: 2, name: 'Confirm with one of your methods' }).waitFor();
    await page.getByRole('radiogroup').getByText(/^Email:/).click();
    const emails = () => t.outbox.filter((m) => m.to === backup).length;
    const before = emails();
    // The set-up code may be under 30 seconds old: a send is then refused with the time to wait.
    for (let attempt = 0; attempt < 8 && emails() === before; attempt++) {
      await page.getByRole('button', { name: 'Send a code' }).click();
      for (let i = 0; i < 20 && emails() === before; i++) await new Promise((r) => setTimeout(r, 250));
      if (emails() === before) await new Promise((r) => setTimeout(r, 5_000));
    }
    await expectAccessible(page, 'confirm with a method');
    await screenshot(page, 'account-confirm');
    await page.getByLabel('Security code').fill(lastCode(t, backup));
    await page.getByRole('button', { name: 'Verify' }).click();

    await page.getByRole('heading', { level: 2, name: 'Save your recovery codes' }).waitFor();
    assert.equal(await page.getByRole('list', { name: 'Your 10 recovery codes' }).getByRole('listitem').count(), 10);
    await screenshot(page, 'account-recovery-codes');
    await page.getByText('I have kept my recovery codes somewhere safe').click();
    await page.getByRole('button', { name: 'Done' }).click();

    // Still within the ten minutes: removing the email method needs no second confirmation.
    await page.getByRole('button', { name: 'Remove Email' }).click();
    await page.getByRole('status').filter({ hasText: 'The method is removed.' }).waitFor();
    await page.getByRole('button', { name: 'Remove Email' }).waitFor({ state: 'detached' });
    await expectAccessible(page, 'account after removing a method');
    await screenshot(page, 'account');

    // Add a backup again, at another address, then re-pair the authenticator app ("Start pairing again").
    const other = `other-${member.email}`;
    await page.getByRole('button', { name: 'Set up email' }).click();
    await page.getByLabel('Email address').fill(other);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { level: 2, name: 'Verify email address' }).waitFor();
    await page.getByLabel('Code', { exact: true }).fill(lastCode(t, other));
    await page.getByRole('button', { name: 'Finish email setup' }).click();
    await page.getByRole('status').filter({ hasText: 'The method is added.' }).waitFor();
    await page.getByRole('button', { name: 'Remove Email' }).waitFor();

    await page.getByRole('button', { name: 'Start pairing again' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const newSecret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    assert.notEqual(newSecret, secret);
    await page.getByLabel('Code shown by the app').fill(await oathtoolCode(newSecret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('status').filter({ hasText: 'The method is added.' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Remove Authenticator app' }).count(), 1, 'the new app replaced the old one');
    assert.deepEqual(browser.violations, []);
  });

  test('a backup is offered only among the allowed methods, and "Confirm with one of your methods" resumes after a reload', async () => {
    const { t } = server;
    // Text messages switched off: the account must not offer them.
    const org = await organizationWith(t, { technicians: 'selected_groups', primaryMethod: 'totp', allowedMethods: ['totp', 'email', 'push'] });
    const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org, true), label: 'resumes' });
    const backup = `backup-${member.email}`;
    const setup = await signInExpecting(t, member.email, 'setup');
    const totp = await bindTotp(t, setup.id);
    const secret = secretOf(totp.otpauthUri);
    assert.equal((await confirm(t, setup.id, totp.factorId, await oathtoolCode(secret))).statusCode, 200);
    await bindSentCode(t, setup.id, 'email', backup);
    assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`, {})).statusCode, 200);

    const own = await openBrowser('en-US');
    try {
      const { page } = own;
      await signInWithPassword(page, server.baseUrl, member.email);
      await page.getByLabel('Security code').fill(await oathtoolCode(secret, 30));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      await page.getByRole('heading', { level: 3, name: 'Add a backup method' }).waitFor();
      await page.getByRole('button', { name: 'Set up authenticator app notifications' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Set up text message' }).count(), 0, 'text messages are switched off');
      await expectAccessible(page, 'account, allowed methods only');
      await screenshot(page, 'account-allowed-methods');

      await t.ctx.db.updateTable('sessions').set({ reauthenticated_at: 0 }).where('member_id', '=', member.id).execute();
      await page.getByRole('button', { name: 'Get new recovery codes' }).click();
      await page.getByRole('heading', { level: 2, name: 'Confirm with one of your methods' }).waitFor();
      await page.getByRole('radiogroup').getByText(/^Email:/).click();
      const emails = () => t.outbox.filter((m) => m.to === backup).length;
      const before = emails();
      // The set-up code may be under 30 seconds old: a send is then refused with the time to wait.
      for (let attempt = 0; attempt < 8 && emails() === before; attempt++) {
        await page.getByRole('button', { name: 'Send a code' }).click();
        for (let i = 0; i < 20 && emails() === before; i++) await new Promise((r) => setTimeout(r, 250));
        if (emails() === before) await new Promise((r) => setTimeout(r, 5_000));
      }

      // A reload in the middle: the same step, the same method chosen, and the code sent still counts.
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Confirm with one of your methods' }).waitFor();
      assert.equal(await page.getByRole('radio', { name: /^Email:/ }).isChecked(), true, 'the method chosen before the reload');
      await expectAccessible(page, 'confirm with a method, after a reload');
      await screenshot(page, 'account-confirm-resumed');
      // By keyboard from the code field: type the code, Enter.
      await page.getByLabel('Security code').focus();
      await page.keyboard.type(lastCode(t, backup));
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name: 'Save your recovery codes' }).waitFor();
      await page.getByText('I have kept my recovery codes somewhere safe').click();
      await page.getByRole('button', { name: 'Done' }).click();
      // Done is done: a reload does not ask again.
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      assert.equal(await page.getByRole('heading', { level: 2, name: 'Confirm with one of your methods' }).count(), 0);

      // The same screens in French.
      await page.getByLabel('Language').selectOption({ label: 'Français' });
      await page.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Configurer les SMS' }).count(), 0);
      await screenshot(page, 'account-allowed-methods-fr');
      await t.ctx.db.updateTable('sessions').set({ reauthenticated_at: 0 }).where('member_id', '=', member.id).execute();
      await page.getByRole('button', { name: 'Obtenir de nouveaux codes de récupération' }).click();
      await page.getByRole('heading', { level: 2, name: 'Confirmez avec l’une de vos méthodes' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Confirmez avec l’une de vos méthodes' }).waitFor();
      await expectAccessible(page, 'confirm with a method, after a reload (fr)');
      await screenshot(page, 'account-confirm-resumed-fr');
      assert.deepEqual(own.violations, []);
    } finally {
      await own.close();
    }
  });
});
