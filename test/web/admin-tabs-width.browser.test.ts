/**
 * The Workspace's tabs (and the Reports tab's own) stay on one line at 1024 px wide in each of the
 * seven languages: none wraps under the others and none is cut off, and nothing makes the page wider
 * than the window. Photographed in Italian, whose
 * labels are the longest.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { LANGUAGES } from '../../web/src/i18n/languages.ts';
import { organizationWith } from '../twoStep/_fixtures.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

/** Every tab of the list on the same line, and the list as wide as the tabs need. */
async function onOneLine(list: Locator): Promise<{ lines: number; overflow: number }> {
  return list.evaluate((element) => {
    const tops = new Set([...element.querySelectorAll('[role=tab]')].map((tab) => Math.round((tab as HTMLElement).getBoundingClientRect().top)));
    return { lines: tops.size, overflow: element.scrollWidth - element.clientWidth };
  });
}

describe('the Workspace tabs at 1024 px', () => {
  let server: WebServer;
  let browser: Browser;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    const org = await organizationWith(server.t);
    const { page } = browser;
    assert.equal(page.viewportSize()?.width, 1024);
    await signInWithPassword(page, server.baseUrl, org.email);
    await page.waitForURL('**/account');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('in every language the tabs fit on one line', async () => {
    const { page } = browser;
    const problems: string[] = [];
    for (const language of LANGUAGES) {
      await page.goto(`${server.baseUrl}/admin/reports`);
      // Chosen once the Workspace is drawn and its reads of the member have answered: the page then
      // changes only by the language.
      await page.getByRole('tablist').first().waitFor();
      await page.locator('select').first().selectOption(language);
      await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
      const lists = page.getByRole('tablist');
      await lists.nth(1).waitFor();
      for (let i = 0; i < 2; i++) {
        const { lines, overflow } = await onOneLine(lists.nth(i));
        if (lines !== 1 || overflow > 0) problems.push(`${language}: tab list ${i + 1} on ${lines} lines, ${overflow} px cut off`);
      }
      const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (pageOverflow > 0) problems.push(`${language}: the page is ${pageOverflow} px wider than the window`);
      if (language === 'it') {
        await expectAccessible(page, 'the Workspace in Italian');
        await screenshot(page, 'admin-workspace-tabs-it');
      }
    }
    assert.deepEqual(problems, []);
  });
});
