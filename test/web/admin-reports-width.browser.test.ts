/**
 * The Reports tab's member table fits the Workspace at 1024 px wide in each of the seven languages:
 * the grid never scrolls sideways (its scrollWidth is its clientWidth), with long names, emails and
 * group paths wrapped once then cut with "…", whose whole value stays in the cell (its text and
 * title), and shown whole when the keyboard reaches the cell. Photographed in English and in German, whose headings are long.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES } from '../../web/src/i18n/languages.ts';
import { addGroup, addMember, organizationWith } from '../twoStep/_fixtures.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

const LONG_NAME = 'Maximiliana Alexandrina Constantinopoulou-Vandenberghe';

describe('the Reports member table at 1024 px', () => {
  let server: WebServer;
  let browser: Browser;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    const org = await organizationWith(server.t, { technicians: 'all' });
    const top = await addGroup(server.t, org);
    const sub = await addGroup(server.t, org, false, top);
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Customer Support Europe Middle East and Africa' }).where('id', '=', top).execute();
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Second Line Escalations' }).where('id', '=', sub).execute();
    const long = await addMember(server.t, org, { technicianGroupId: sub, label: 'a-very-long-mailbox-name-for-the-width-test' });
    await server.t.ctx.db.updateTable('members').set({ name: LONG_NAME }).where('id', '=', long.id).execute();
    for (let i = 0; i < 3; i++) await addMember(server.t, org, { technicianGroupId: top, label: 'short' });
    const { page } = browser;
    assert.equal(page.viewportSize()?.width, 1024);
    await signInWithPassword(page, server.baseUrl, org.email);
    await page.waitForURL('**/account');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('in every language the table does not scroll sideways; a long value is cut, and whole in its cell', async () => {
    const { page } = browser;
    const problems: string[] = [];
    for (const language of LANGUAGES) {
      await page.goto(`${server.baseUrl}/admin/reports`);
      // Chosen once the Workspace is drawn and its reads of the member have answered: the page then
      // changes only by the language.
      await page.getByRole('tablist').first().waitFor();
      await page.locator('select').first().selectOption(language);
      await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
      const grid = page.getByRole('grid').first();
      await grid.getByRole('row').filter({ hasText: LONG_NAME }).waitFor();
      const { scrollWidth, clientWidth } = await grid.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
      if (scrollWidth > clientWidth) problems.push(`${language}: the table is ${scrollWidth - clientWidth} px wider than its ${clientWidth} px`);
      const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (pageOverflow > 0) problems.push(`${language}: the page is ${pageOverflow} px wider than the window`);
      // The long name is cut on screen, yet whole in the cell's text and title.
      const name = grid.locator('.report-grid-text', { hasText: LONG_NAME });
      const cut = await name.evaluate((element) => ({
        cut: element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight, title: element.getAttribute('title'), text: element.textContent,
      }));
      if (!cut.cut) problems.push(`${language}: the long name is not cut (the test needs a value longer than its column)`);
      if (cut.title !== LONG_NAME || cut.text !== LONG_NAME) problems.push(`${language}: the long name is not whole in its cell`);
      if (language === 'en' || language === 'de') {
        await expectAccessible(page, `the Reports tab in ${language}`);
        await screenshot(page, `admin-reports-1024-${language}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('the keyboard reaches a cut value and sees it whole', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/admin/reports`);
    await page.getByRole('tablist').first().waitFor();
    await page.locator('select').first().selectOption('en');
    const grid = page.getByRole('grid').first();
    const row = grid.getByRole('row').filter({ hasText: LONG_NAME });
    await row.waitFor();
    // Tab into the grid, then arrows: Down to the rows, Right into the cells. The grid moves the focus
    // once it has drawn the new position, so each key is followed by a wait for the focus to move:
    // read too early, the focus of before would be taken for the new one, and the next key overshoot.
    const focusMoves = async (key: string) => {
      await page.evaluate(() => { (window as unknown as { focusedBefore: Element | null }).focusedBefore = document.activeElement; });
      await page.keyboard.press(key);
      await page.waitForFunction(() => document.activeElement !== (window as unknown as { focusedBefore: Element | null }).focusedBefore);
    };
    await grid.focus();
    let focusedRow = '';
    for (let i = 0; i < 20; i++) {
      focusedRow = await page.evaluate(() => document.activeElement?.closest('[role=row]')?.textContent ?? '');
      if (focusedRow.includes(LONG_NAME)) break;
      await focusMoves('ArrowDown');
    }
    assert.ok(focusedRow.includes(LONG_NAME), `the arrows reach the long name's row (the last focused: "${focusedRow}")`);
    await focusMoves('ArrowRight');
    const shown = await page.evaluate(() => {
      const cell = document.activeElement as HTMLElement;
      const text = cell.querySelector('.report-grid-text') as HTMLElement | null;
      const grid = cell.closest('[role=grid]')!.getBoundingClientRect();
      const box = text?.getBoundingClientRect();
      return text && box ? {
        text: text.textContent, cut: text.scrollWidth > text.clientWidth || text.scrollHeight > text.clientHeight,
        inside: box.left >= grid.left && box.right <= grid.right,
      } : null;
    });
    assert.deepEqual(shown, { text: LONG_NAME, cut: false, inside: true }, 'the focused cell shows its whole value, inside the table');
    await screenshot(page, 'admin-reports-1024-focused-cell');
  });
});
