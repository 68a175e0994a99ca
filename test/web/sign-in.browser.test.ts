/**
 * The website in Chromium. A technician of a group that enforces two-step verification signs in,
 * is led through Protect your account, reads the key from the page, confirms it with a code from
 * oathtool, keeps the recovery codes, activates, signs out and signs in again with a new code; a
 * technician of another group signs in with the password alone, from the keyboard. Every page passes
 * axe-core and triggers no CSP violation; the screenshots of docs/screenshots/ come from here (`npm run docs:screenshots`).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD } from '../support/harness.ts';
import { addGroup, addMember, organizationWith, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { expectAccessible, oathtoolCode, openBrowser, screenshot, startWebServer, writeMeasures, type Browser, type WebServer } from './_browser.ts';

describe('the website in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  let enforcedGroup: string;
  let freeGroup: string;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t, { technicians: 'selected_groups' });
    enforcedGroup = await addGroup(server.t, org, true);
    freeGroup = await addGroup(server.t, org, false);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a technician who must use two-step verification sets up the mobile app, activates, and signs in again with a code', async () => {
    const { page } = browser;
    const technician = await addMember(server.t, org, { technicianGroupId: enforcedGroup, label: 'enforced' });

    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await expectAccessible(page, 'sign in');
    await screenshot(page, 'sign-in');

    await page.getByLabel('Email').fill(technician.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { level: 1, name: 'Protect your account' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/sign-in/protect-your-account');
    await page.getByRole('heading', { level: 2, name: 'Set up mobile app' }).waitFor();
    await expectAccessible(page, 'protect your account');
    await screenshot(page, 'protect-1-mobile-app');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
    const shown = await page.getByTestId('totp-secret').textContent();
    assert.match(shown ?? '', /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, 'the key in groups of four');
    const secret = (shown ?? '').replace(/\s/g, '');
    await expectAccessible(page, 'set up mobile app: QR code');
    await screenshot(page, 'protect-2-qr-code');
    // A phone's width: the same step, nothing cut off or side-scrolling.
    await page.setViewportSize({ width: 375, height: 812 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no horizontal scroll at 375 px');
    await screenshot(page, 'protect-2-qr-code-phone');
    await page.setViewportSize({ width: 1024, height: 800 });

    // A wrong code first: a clear message and the attempts left.
    await page.getByLabel('Code shown by the app').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not correct or has expired. 4 attempts left' }).waitFor();

    await page.getByLabel('Code shown by the app').fill(await oathtoolCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 2, name: 'Add a backup method' }).waitFor();

    // A reload resumes where the member was.
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Add a backup method' }).waitFor();
    await expectAccessible(page, 'add a backup method');
    await screenshot(page, 'protect-3-backup');
    await page.getByRole('button', { name: 'Continue without a backup' }).click();

    await page.getByRole('heading', { level: 2, name: 'Activate' }).waitFor();
    await expectAccessible(page, 'activate');
    await screenshot(page, 'protect-4-activate');
    await page.getByRole('button', { name: 'Activate' }).click();

    await page.getByRole('heading', { level: 2, name: 'Save your recovery codes' }).waitFor();
    const codes = await page.getByRole('list', { name: 'Your 10 recovery codes' }).getByRole('listitem').allTextContents();
    assert.equal(codes.length, 10);
    await expectAccessible(page, 'recovery codes');
    await screenshot(page, 'protect-5-recovery-codes');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download' }).click();
    const file = await (await download).path();
    assert.ok(file);
    const { readFileSync } = await import('node:fs');
    assert.ok(codes.every((code) => readFileSync(file, 'utf8').includes(code)), 'the file holds every code');

    const finish = page.getByRole('link', { name: 'Continue to my account' });
    assert.equal(await finish.getAttribute('aria-disabled'), 'true', 'not before the codes are kept');
    await page.getByText('I have kept my recovery codes somewhere safe').click();
    await finish.click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByText(`Signed in as`).waitFor();
    await expectAccessible(page, 'account');
    await screenshot(page, 'account');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    // Signing in again asks for the code; spaces typed in it do not matter. The step just used
    // cannot count twice, so the code is the next one (the server accepts one step ahead).
    await page.getByLabel('Email').fill(technician.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
    await expectAccessible(page, 'verify');
    await screenshot(page, 'verify');
    const next = await oathtoolCode(secret, 30);
    await page.getByLabel('Security code').fill(`${next.slice(0, 3)} ${next.slice(3)}`);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();

    assert.deepEqual(browser.violations, []);
  });

  test('the sign-in page is light: its transfer size and first render, from a cold cache', async () => {
    const cold = await openBrowser('en-US');
    try {
      await cold.page.goto(`${server.baseUrl}/sign-in`);
      await cold.page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      const measures = await cold.page.evaluate(() => {
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          requests: resources.length + 1,
          transferBytes: navigation.transferSize + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
          decodedBytes: navigation.decodedBodySize + resources.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
          firstContentfulPaintMs: Math.round(paint?.startTime ?? -1),
          domContentLoadedMs: Math.round(navigation.domContentLoadedEventEnd),
        };
      });
      const messageFiles = () => cold.page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .map((entry) => /\/assets\/messages-([a-z]{2})-[^/]*\.js$/.exec(entry.name)?.[1]).filter((language) => language !== undefined));
      writeMeasures('web-sign-in-measures.json', { measuredAt: new Date().toISOString(), ...measures });
      console.log(`sign-in page: ${JSON.stringify(measures)}`);
      // Budgets with room for a loaded test machine; docs/web.md keeps the measured figures.
      assert.ok(measures.transferBytes < 250_000, `transfer ${measures.transferBytes} bytes`);
      // The member's language only, its messages in one request (not one per feature, nor any other language).
      assert.deepEqual(await messageFiles(), ['en']);
      assert.ok(measures.requests <= 8, `${measures.requests} requests`);
      assert.ok(measures.firstContentfulPaintMs > 0 && measures.firstContentfulPaintMs < 4_000, `first render at ${measures.firstContentfulPaintMs} ms`);
      // Another language is downloaded when it is chosen, and then only it.
      await cold.page.getByLabel('Language').selectOption({ label: 'Français' });
      await cold.page.getByRole('heading', { level: 1, name: 'Se connecter' }).waitFor();
      assert.deepEqual(await messageFiles(), ['en', 'fr']);
      assert.deepEqual(cold.violations, []);
    } finally {
      await cold.close();
    }
  });

  test('a technician of another group signs in with the password alone, using only the keyboard', async () => {
    const { page } = browser;
    const technician = await addMember(server.t, org, { technicianGroupId: freeGroup, label: 'free' });
    await page.context().clearCookies();
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/sign-in');

    // The heading has the focus; Tab reaches the fields in order, Enter submits.
    await page.keyboard.press('Tab');
    await page.keyboard.type(technician.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/account');
    assert.deepEqual(browser.violations, []);
  });
});
