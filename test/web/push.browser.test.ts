/**
 * The authenticator app notification in Chromium, with two browsers: the member's sign-in page and
 * the web authenticator at /authenticator (its own profile, as on another device). The member pairs
 * the authenticator during "Protect your account" by pasting the pairing link, types the number the
 * set-up shows, and the set-up goes on by itself; at the next sign-in the page shows a number, the
 * member types it into the authenticator and approves, and the sign-in page reaches the account with
 * no click. From the account, Start pairing again replaces the device. A denial reads plainly and
 * offers a new notification; a wrong number ends the request on both sides. A forgotten password's
 * reset is approved the same way, and the authenticator names it a reset.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { addGroup, addMember, organizationWith, saveSettings, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

describe('the web authenticator and push sign-in in a browser', () => {
  let server: WebServer;
  let site: Browser;
  let phone: Browser;
  let org: OrgWithAdmin;
  let group: string;

  before(async () => {
    server = await startWebServer();
    [site, phone] = await Promise.all([openBrowser('en-US'), openBrowser('en-US')]);
    org = await organizationWith(server.t, { technicians: 'selected_groups' });
    await saveSettings(server.t, org.masterToken, { technicians: 'selected_groups', primaryMethod: 'push', allowedMethods: ['push', 'totp'] });
    group = await addGroup(server.t, org, true);
  });
  after(async () => {
    await site?.close();
    await phone?.close();
    await server?.close();
  });

  async function signIn(page: Page, email: string) {
    await signInWithPassword(page, server.baseUrl, email);
  }

  const shownNumber = async (page: Page) => (await page.getByTestId('push-number').textContent())?.trim() ?? '';

  test('pairing during set-up, then a sign-in approved by typing the number; a denial reads plainly', async () => {
    const member = await addMember(server.t, org, { technicianGroupId: group, label: 'push' });
    const authenticator = phone.page;
    const page = site.page;

    // Set-up: the pairing link and its QR code.
    await signIn(page, member.email);
    await page.getByRole('heading', { level: 2, name: 'Set up authenticator app notifications' }).waitFor();
    await page.getByRole('button', { name: 'Show the pairing link' }).click();
    const link = (await page.getByTestId('pairing-link').textContent()) ?? '';
    assert.match(link, /\/authenticator#pair=[A-Za-z0-9_-]{43}$/);
    await page.getByRole('img', { name: 'QR code of the pairing link' }).waitFor();
    await expectAccessible(page, 'push set-up, pairing link');
    await screenshot(page, 'push-setup-1-link');

    // The authenticator: installable, pairs with the pasted link, keeps a key it cannot export.
    await authenticator.goto(`${server.baseUrl}/authenticator`);
    await authenticator.getByRole('heading', { level: 1, name: 'Twofold Authenticator' }).waitFor();
    const manifest = await authenticator.evaluate(async () => {
      const href = document.querySelector('link[rel="manifest"]')?.getAttribute('href');
      return href ? (await fetch(href)).json() as Promise<{ start_url: string; display: string }> : null;
    });
    assert.deepEqual([manifest?.start_url, manifest?.display], ['/authenticator', 'standalone']);
    assert.equal(await authenticator.evaluate(async () => (await navigator.serviceWorker.ready).active !== null), true, 'the service worker runs');
    await expectAccessible(authenticator, 'the authenticator before pairing');
    await authenticator.getByLabel('Pairing link').fill(link);
    await authenticator.getByRole('button', { name: 'Pair', exact: true }).click();
    await authenticator.getByRole('heading', { level: 3, name: 'Confirm the pairing' }).waitFor();
    const extractable = await authenticator.evaluate(() => new Promise<boolean[]>((resolve, reject) => {
      const open = indexedDB.open('twofold-authenticator');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('pairings').objectStore('pairings').getAll();
        all.onsuccess = () => resolve((all.result as Array<{ privateKey: CryptoKey }>).map((p) => p.privateKey.extractable));
      };
    }));
    assert.deepEqual(extractable, [false], 'one pairing, its private key not extractable');

    // The set-up shows the confirmation's number; typed into the authenticator and approved, the
    // set-up goes on to the backup step by itself.
    await page.getByText('The authenticator is paired.').waitFor();
    const pairingNumber = await shownNumber(page);
    assert.match(pairingNumber, /^\d{2}$/);
    await authenticator.getByLabel('Number shown on the set-up screen').fill(pairingNumber);
    await authenticator.getByRole('button', { name: 'Approve' }).click();
    await authenticator.getByText('Approved. The set-up goes on by itself.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Add a backup method' }).waitFor();
    await page.getByRole('button', { name: 'Continue without a backup' }).click();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('I have kept my recovery codes somewhere safe').click();
    await page.getByRole('link', { name: 'Continue to my account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    // Sign-in: the number on the page, typed into the authenticator; the page goes on with no click.
    await signIn(page, member.email);
    await page.getByRole('heading', { level: 1, name: 'Approve the sign-in in your authenticator' }).waitFor();
    const number = await shownNumber(page);
    assert.match(number, /^\d{2}$/);
    await expectAccessible(page, 'push sign-in, the number');
    await screenshot(page, 'push-sign-in-number');
    const request = authenticator.getByRole('article', { name: 'Sign-in request' });
    await request.waitFor();
    await request.getByText('Twofold website').waitFor();
    await request.getByText(member.email).waitFor();
    await request.getByLabel('Number shown on the sign-in screen').fill(number);
    await expectAccessible(authenticator, 'the authenticator with a request');
    await screenshot(authenticator, 'authenticator-request');
    await request.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();

    // The account: Start pairing again replaces the device, and the new pairing is confirmed the
    // same way; the next requests go to it.
    await page.getByRole('button', { name: 'Start pairing again' }).click();
    await page.getByRole('button', { name: 'Show the pairing link' }).click();
    const again = (await page.getByTestId('pairing-link').textContent()) ?? '';
    await authenticator.getByLabel('Pairing link').fill(again);
    await authenticator.getByLabel('Name of this device').fill('Second browser');
    await authenticator.getByRole('button', { name: 'Pair', exact: true }).click();
    await page.getByText('The authenticator is paired.').waitFor();
    await authenticator.getByRole('article', { name: 'Confirm the pairing' }).getByLabel('Number shown on the set-up screen').fill(await shownNumber(page));
    await authenticator.getByRole('article', { name: 'Confirm the pairing' }).getByRole('button', { name: 'Approve' }).click();
    await page.getByText('The method is added.').waitFor();

    // Past the ten minutes of the sign-in, new recovery codes ask to verify again: with push only,
    // a notification approved on the authenticator, and the page goes on by itself.
    const pastWindow = server.t.clock.now().getTime() - 11 * 60_000;
    await server.t.ctx.db.updateTable('sessions').set({ reauthenticated_at: pastWindow }).where('member_id', '=', member.id).execute();
    await page.getByRole('button', { name: 'Get new recovery codes' }).click();
    await page.getByRole('heading', { level: 2, name: 'Confirm with one of your methods' }).waitFor();
    await page.getByRole('button', { name: 'Send a notification to your authenticator' }).click();
    const reauthNumber = await shownNumber(page);
    assert.match(reauthNumber, /^\d{2}$/);
    await expectAccessible(page, 'verifying again with push, the number');
    await screenshot(page, 'push-reauthenticate-number');
    // Named by what it is for, not as a sign-in.
    const reauthRequest = authenticator.getByRole('article', { name: 'Confirm it\'s you before an account change' });
    // The number is read where the change is made, not on a sign-in screen.
    await reauthRequest.getByLabel('Number shown on the Twofold page where you make the change').fill(reauthNumber);
    assert.equal(await authenticator.getByRole('article', { name: 'Sign-in request' }).count(), 0);
    await reauthRequest.getByText('Approve only a change you are making yourself.').waitFor();
    await screenshot(authenticator, 'authenticator-confirm-identity');
    // The same card in French, then back.
    await authenticator.getByLabel('Language').selectOption({ label: 'Français' });
    await authenticator.getByRole('article', { name: 'Confirmez que c’est vous avant une modification du compte' }).waitFor();
    await expectAccessible(authenticator, 'the authenticator, confirm it is you (fr)');
    await screenshot(authenticator, 'authenticator-confirm-identity-fr');
    await authenticator.getByLabel('Langue').selectOption({ label: 'English' });
    await reauthRequest.getByLabel('Number shown on the Twofold page where you make the change').fill(reauthNumber);
    await reauthRequest.getByRole('button', { name: 'Approve' }).click();
    await authenticator.getByText('Approved. The change goes on by itself.').waitFor();
    await page.getByRole('list', { name: /^Your \d+ recovery codes$/ }).waitFor();
    await screenshot(page, 'push-reauthenticate-codes');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    // A denial: the sign-in page says so and offers a new notification.
    await signIn(page, member.email);
    await page.getByRole('heading', { level: 1, name: 'Approve the sign-in in your authenticator' }).waitFor();
    await page.getByTestId('push-number').waitFor();
    // While nothing changes the page holds one long-poll: no tight polling.
    let waits = 0;
    const countWaits = (request: { url: () => string }) => { if (request.url().includes('/push-request')) waits += 1; };
    page.on('request', countWaits);
    await page.waitForTimeout(3000);
    page.off('request', countWaits);
    assert.ok(waits <= 1, `${waits} waits in three seconds`);
    await authenticator.getByRole('article', { name: 'Sign-in request' }).getByRole('button', { name: 'Deny', exact: true }).click();
    await authenticator.getByText('Denied. Nobody was signed in.').waitFor();
    await page.getByText('The request was denied in the authenticator. Nobody was signed in.').waitFor();
    await page.getByRole('button', { name: 'Send a new notification' }).waitFor();
    await screenshot(page, 'push-sign-in-denied');

    // A new notification; a number too short is refused on the device, a wrong one ends the request
    // on both sides.
    await page.getByRole('button', { name: 'Send a new notification' }).click();
    const shown = await shownNumber(page);
    const card = authenticator.getByRole('article', { name: 'Sign-in request' });
    await card.getByLabel('Number shown on the sign-in screen').fill(shown.slice(0, 1));
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByText('Type the 2 digits shown on the sign-in screen.').waitFor();
    await card.getByLabel('Number shown on the sign-in screen').fill(String((Number(shown) + 1) % 100).padStart(2, '0'));
    await card.getByRole('button', { name: 'Approve' }).click();
    // The decision's answer says so; if the stream's "closed" comes first, it says so instead.
    await authenticator.getByText(/That is not the number shown on the sign-in screen|the number typed was wrong/).waitFor();
    assert.equal(await card.count(), 0, 'the ended request is gone from the authenticator');
    await page.getByText('The number typed in the authenticator was not the one shown here.', { exact: false }).waitFor();

    // A forgotten password, reset with the emailed link: the authenticator names the request a reset,
    // so a member who asked for none sees what is happening, and the number is read on the reset page.
    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(member.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').filter({ hasText: 'a link is on its way' }).waitFor();
    const resetMail = () => [...server.t.outbox].reverse().find((m) => m.to === member.email && m.text.includes('/password-reset/'));
    for (let i = 0; i < 100 && !resetMail(); i++) await page.waitForTimeout(50);
    const resetLink = /\/password-reset\/[A-Za-z0-9_-]+/.exec(resetMail()?.text ?? '')?.[0] ?? assert.fail('no reset link was emailed');
    await page.goto(`${server.baseUrl}${resetLink}`);
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('Reset-By-Push-42');
    await page.getByLabel('New password again').fill('Reset-By-Push-42');
    await page.getByRole('button', { name: 'Change password' }).click();
    const resetNumber = await page.getByTestId('push-number').textContent({ timeout: 15_000 }).then((text) => text?.trim() ?? '');
    const resetRequest = authenticator.getByRole('article', { name: 'Password reset request (forgotten password)' });
    await resetRequest.getByLabel('Number shown on the Twofold page where you make the change').fill(resetNumber);
    // The error about the earlier request (its wrong number) went when this one came.
    assert.equal(await authenticator.getByText('That is not the number shown on the sign-in screen', { exact: false }).count(), 0);
    await expectAccessible(authenticator, 'the authenticator with a password reset request');
    await screenshot(authenticator, 'authenticator-password-reset');
    await resetRequest.getByRole('button', { name: 'Approve' }).click();
    await authenticator.getByText('Approved. The change goes on by itself.').waitFor();
    await page.getByRole('status').filter({ hasText: 'Your password is changed. Sign in with it.' }).waitFor();

    // The pairing that Start pairing again replaced no longer counts, and the authenticator says so
    // (the server looks at a stream's pairing again with each keep-alive); the new one stays connected.
    const statuses = authenticator.getByTestId('stream-status');
    await statuses.filter({ hasText: 'The server refused this pairing' }).waitFor({ timeout: 40_000 });
    assert.deepEqual((await statuses.allTextContents()).sort(), [
      'Connected: requests appear as they come',
      'The server refused this pairing: it was removed from your account, or this device\'s clock is wrong.',
    ]);
    await screenshot(authenticator, 'authenticator-pairing-refused');

    assert.deepEqual(site.violations, []);
    assert.deepEqual(phone.violations, []);
  });
});
