/**
 * Sign out everywhere, in Chromium: a member signed in in two browsers asks for it on the account page
 * of one, confirms, and lands on the sign-in page; the other browser's session has ended too.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { addGroup, addMember, organizationWith } from '../twoStep/_fixtures.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type WebServer } from './_browser.ts';

describe('sign out everywhere in a browser', () => {
  let server: WebServer;
  before(async () => { server = await startWebServer(); });
  after(async () => { await server?.close(); });

  test('signing out everywhere in one browser ends the other browser\'s session', async () => {
    const { t } = server;
    const org = await organizationWith(t);
    const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org), label: 'everywhere' });
    const signIn = async (page: Page) => {
      await signInWithPassword(page, server.baseUrl, member.email);
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    };
    const first = await openBrowser('en-US');
    const second = await openBrowser('en-US');
    try {
      await signIn(first.page);
      await signIn(second.page);
      const { page } = first;

      // Asked first; Cancel leaves everything as it was.
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.getByRole('group', { name: 'Sign out everywhere?' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'group', 'the question takes the focus');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Sign out everywhere' }).waitFor();

      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await expectAccessible(page, 'sign out everywhere, asked');
      await page.getByRole('group', { name: 'Sign out everywhere?' }).scrollIntoViewIfNeeded();
      await screenshot(page, 'account-sign-out-everywhere');
      await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'You were signed out everywhere.' }).waitFor();
      await expectAccessible(page, 'sign in after signing out everywhere');

      // The other browser's session has ended: its account page sends it to sign in.
      await second.page.reload();
      await second.page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      const live = await t.ctx.db.selectFrom('sessions').select('id').where('member_id', '=', member.id).where('revoked_at', 'is', null).execute();
      assert.deepEqual(live, []);
      assert.deepEqual([...first.violations, ...second.violations], []);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
