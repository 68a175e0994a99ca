/**
 * The Admin Center's Reports tab in Chromium: the two-step verification status of each member,
 * filtered to those who must set up again and downloaded as CSV, holds exactly what the API answers
 * in JSON for the same filter; the Audit report filtered by what and entity opens an entry on its
 * values before and after; the Administrator status report lists the administrators. axe checks
 * each report, and each is photographed for docs/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { newId } from '../../src/crypto/tokens.ts';
import { call } from '../support/harness.ts';
import { addGroup, addMember, organizationWith, type MemberFixture, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';
import { chooseGroup } from './_groupPicker.ts';

interface Row { name: string; email: string; role: string; groupPath: Array<{ name: string }>; enabled: boolean; required: boolean; setUp: boolean; mustSetUpAgain: boolean; locked: boolean }

async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await signInWithPassword(page, baseUrl, email);
  await page.waitForURL('**/account');
}

/** Every cell of the report's CSV (each one quoted, lines ending CRLF); the test's names hold no quotes. */
const parseCsv = (text: string): string[][] => text.trim().split('\r\n').map((line) => line.slice(1, -1).split('","'));
const yesNo = (value: boolean) => (value ? 'yes' : 'no');

describe('the Admin Center\'s reports in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  let field: string;
  const again: MemberFixture[] = [];

  /** A method set up once, written to the store: of a method no longer allowed, the member must set up again. */
  const bindFactor = async (memberId: string, type: string) => {
    const { two_step_epoch: epoch } = await server.t.ctx.db.selectFrom('organizations').select('two_step_epoch').where('id', '=', org.organizationId).executeTakeFirstOrThrow();
    const now = Date.now();
    await server.t.ctx.db.insertInto('factors').values({
      id: newId(), organization_id: org.organizationId, member_id: memberId, type, label: type, epoch, active: 1, secret: null, destination: null,
      last_step: null, failures: 0, locked_until: null, locked_until_reset: 0, setup_transaction_id: null, created_at: now, confirmed_at: now,
    }).execute();
  };

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t, { technicians: 'all', allowedMethods: ['totp', 'sms'] });
    field = await addGroup(server.t, org);
    const desk = await addGroup(server.t, org);
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Field Support' }).where('id', '=', field).execute();
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Help Desk' }).where('id', '=', desk).execute();
    for (const [group, label] of [[field, 'again-a'], [field, 'again-b'], [desk, 'again-c']] as const) {
      const member = await addMember(server.t, org, { technicianGroupId: group, label });
      await bindFactor(member.id, 'email');
      again.push(member);
    }
    const setUp = await addMember(server.t, org, { technicianGroupId: field, label: 'set-up' });
    await bindFactor(setUp.id, 'totp');
    await addMember(server.t, org, { technicianGroupId: desk, label: 'fresh' });
    await addMember(server.t, org, { role: 'administrator', label: 'admin' });
    await signIn(browser.page, server.baseUrl, org.email);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('members who must set up again, downloaded as CSV, are what the API answers for the same filter', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/admin/reports`);
    await page.getByRole('heading', { level: 3, name: 'Members' }).waitFor();
    await page.getByLabel('Two-step verification state').selectOption({ label: 'Must set up again' });
    const grid = page.getByRole('grid', { name: 'Members' });
    await grid.getByRole('row', { name: /again-c/ }).waitFor();
    assert.equal(await grid.getByRole('row', { name: /set-up|fresh/ }).count(), 0);
    await expectAccessible(page, 'the two-step verification report');
    await screenshot(page, 'admin-reports-members');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as CSV' }).click()]);
    assert.equal(download.suggestedFilename(), 'two-step-verification.csv');
    const csv = parseCsv(readFileSync(await download.path(), 'utf8'));
    const response = await call(server.t, 'GET', '/api/v1/reports/two-step-verification/members?state=must_set_up_again&limit=200', undefined, org.masterToken);
    assert.equal(response.statusCode, 200, response.body);
    const rows = response.json<{ items: Row[]; nextCursor: string | null }>().items;
    assert.deepEqual(new Set(rows.map((row) => row.email)), new Set(again.map((member) => member.email)));
    assert.deepEqual(csv[0], ['Name', 'Email', 'Role', 'Technician group', 'Enabled', 'Required', 'Set up', 'Must set up again', 'Locked']);
    assert.deepEqual(csv.slice(1), rows.map((row) => [
      row.name, row.email, 'Technician', row.groupPath.map((group) => group.name).join(' / '),
      yesNo(row.enabled), yesNo(row.required), yesNo(row.setUp), yesNo(row.mustSetUpAgain), yesNo(row.locked),
    ]));

    // Narrowed to one group (with its subgroups), the list and the download follow the filter.
    await chooseGroup(page, 'Technician group', 'Field', 'Field Support');
    await grid.getByRole('row', { name: /again-c/ }).waitFor({ state: 'detached' });
    await grid.getByRole('row', { name: /again-a/ }).waitFor();
    const href = await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('href');
    const link = new URL(href ?? assert.fail('no link'), server.baseUrl);
    assert.equal(link.pathname, '/api/v1/reports/two-step-verification/members');
    assert.deepEqual(Object.fromEntries(link.searchParams), { format: 'csv', technicianGroupId: field, state: 'must_set_up_again' });
    assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
  });

  test('a long report keeps only the rows in view in the page and reads the next page as it scrolls', async () => {
    const { page } = browser;
    const big = await addGroup(server.t, org);
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Big Group' }).where('id', '=', big).execute();
    for (let i = 0; i < 250; i++) await addMember(server.t, org, { technicianGroupId: big, label: 'big' });
    await page.goto(`${server.baseUrl}/admin/reports`);
    await chooseGroup(page, 'Technician group', 'Big', 'Big Group');
    const grid = page.getByRole('grid', { name: 'Members' });
    await grid.getByRole('row', { name: /big-/ }).first().waitFor();
    assert.ok((await grid.getByRole('row').count()) < 60, 'only the rows in view');
    // Scrolled to the end, the next keyset pages are read until all 250 are there.
    for (let i = 0; i < 10 && (await grid.getAttribute('aria-rowcount')) !== '251'; i++) {
      await grid.evaluate((element) => { element.scrollTop = element.scrollHeight; });
      await page.waitForTimeout(300);
    }
    assert.equal(await grid.getAttribute('aria-rowcount'), '251', 'the heading row and 250 members');
  });

  test('the Audit report: filtered by what and entity, an entry opens on its values before and after', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/admin/reports`);
    await page.getByRole('tab', { name: 'Audit' }).click();
    await page.getByRole('heading', { level: 2, name: 'Audit' }).waitFor();
    await page.getByLabel('What').selectOption({ label: 'Change' });
    await page.getByLabel('Entity').selectOption({ label: 'Settings' });
    const entry = page.locator('.audit-entry').first();
    await entry.getByText(/: Change — Settings/).waitFor();
    assert.ok(await page.locator('.audit-entry').count() >= 1);
    await entry.locator('summary').click();
    const changes = entry.getByRole('table');
    await changes.getByRole('columnheader', { name: 'Before' }).waitFor();
    await changes.getByRole('rowheader', { name: 'technicians' }).waitFor();
    await expectAccessible(page, 'the Audit report');
    await screenshot(page, 'admin-reports-audit');
    // Who: nothing was done by the administrator, so the list is empty.
    const administrator = await page.getByLabel('Who').locator('option', { hasText: /^Member admin-/ }).getAttribute('value');
    await page.getByLabel('Who').selectOption(administrator ?? assert.fail('the administrator is not offered'));
    await page.getByText('No entry matches these filters.').waitFor();
  });

  test('the Administrator status report lists the master administrator and the administrator', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Administrator status' }).click();
    await page.getByRole('heading', { level: 2, name: 'Administrator status' }).waitFor();
    const grid = page.getByRole('grid', { name: 'Administrator status' });
    await grid.getByRole('row').filter({ hasText: org.email }).waitFor();
    await grid.getByRole('row').filter({ hasText: 'Administrator' }).filter({ hasText: /admin-/ }).waitFor();
    const href = await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('href');
    assert.equal(href, '/api/v1/reports/administrators?format=csv');
    await expectAccessible(page, 'the Administrator status report');
    await screenshot(page, 'admin-reports-administrators');
    assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
  });
});
