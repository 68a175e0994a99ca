/**
 * The Organization Tree in Chromium, used as administrators use it: an administrator assigned to one
 * technician group sees only that group, resets one of its technicians from the context menu, and
 * sees an administrator who is also a technician there marked as required; a master administrator
 * creates a group and a technician from the context menu, moves the technician by drag and drop and
 * by the keyboard's "Move to…", and resets several selected members at once. axe checks each menu
 * and dialog; a branch the server fails to send is tried again on request; the tree with Global
 * Settings and the context menu are photographed for docs/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { totpCode, totpStepAt } from '../../src/methods/totp.ts';
import { addGroup, addMember, assignGroup, organizationWith, type MemberFixture, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { activate, bindTotp, confirm, signInExpecting } from '../twoStep/_factors.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await signInWithPassword(page, baseUrl, email);
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
}

const row = (page: Page, name: string | RegExp) => page.getByRole('row', { name });

describe('the Organization Tree in a browser', () => {
  let server: WebServer;
  let org: OrgWithAdmin;
  let north: string;
  let south: string;
  let northTech: MemberFixture;
  let southTech: MemberFixture;
  let dual: MemberFixture;
  let admin: MemberFixture;

  const rename = (table: 'members' | 'technician_groups', id: string, name: string) =>
    server.t.ctx.db.updateTable(table).set({ name }).where('id', '=', id).execute();
  const groupOf = async (id: string) =>
    (await server.t.ctx.db.selectFrom('members').select('technician_group_id').where('id', '=', id).executeTakeFirstOrThrow()).technician_group_id;

  before(async () => {
    server = await startWebServer();
    org = await organizationWith(server.t, { technicians: 'selected_groups' });
    north = await addGroup(server.t, org, true);
    south = await addGroup(server.t, org, true);
    await rename('technician_groups', north, 'North Desk');
    await rename('technician_groups', south, 'South Desk');
    northTech = await addMember(server.t, org, { technicianGroupId: north, label: 'nora' });
    southTech = await addMember(server.t, org, { technicianGroupId: south, label: 'sam' });
    dual = await addMember(server.t, org, { role: 'administrator', technicianGroupId: north, label: 'dana' });
    admin = await addMember(server.t, org, { role: 'administrator', label: 'ada' });
    await rename('members', northTech.id, 'Nora North');
    await rename('members', southTech.id, 'Sam South');
    await rename('members', dual.id, 'Dana Dual');
    await rename('members', admin.id, 'Ada Admin');
    await assignGroup(server.t, admin.id, north);
    // Nora sets the authenticator app up (through the API: the set-up pages have their own tests).
    const tx = await signInExpecting(server.t, northTech.email, 'setup');
    const pending = await bindTotp(server.t, tx.id);
    assert.equal((await confirm(server.t, tx.id, pending.factorId, totpCode(pending.seed, totpStepAt(new Date())))).statusCode, 200);
    await activate(server.t, tx.id);
  });
  after(async () => {
    await server?.close();
  });

  test('an administrator sees only their group, resets its technician, and sees an administrator-technician as required', async () => {
    const browser: Browser = await openBrowser('en-US');
    try {
      const { page } = browser;
      await signIn(page, server.baseUrl, admin.email);
      await page.goto(`${server.baseUrl}/admin`);
      await row(page, /^North Desk/).waitFor();
      assert.equal(await page.getByRole('tab', { name: 'Global Settings' }).count(), 0);
      assert.equal(await row(page, /^Master Administrators/).count(), 0, 'an administrator has no Master Administrators section');
      assert.equal(await row(page, /^South Desk/).count(), 0);
      // Type-ahead: the first letters of a name move to its row; Enter opens it in the Workspace.
      await row(page, /^Technicians/).click();
      await page.keyboard.type('Nor');
      await page.waitForFunction((key) => document.activeElement?.getAttribute('data-key') === key, `group:${north}`);
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/admin/org/group/${north}/organization`);
      await page.getByRole('button', { name: 'Expand North Desk' }).click();
      await row(page, /^Nora North/).waitFor();
      // Dana holds a technician license in an enforcing group: required, though administrators are not.
      await row(page, /^Dana Dual/).getByText('required', { exact: true }).waitFor();
      assert.equal(await row(page, /^Nora North/).getByText('required', { exact: true }).count(), 1);

      // The search finds nothing outside the administrator's group.
      await page.getByLabel('Search groups and members').fill('Sam');
      await page.getByText('No group or member matches.').waitFor();
      await page.getByLabel('Search groups and members').fill('');
      await row(page, /^Nora North/).waitFor();

      // Dana is out of an administrator's reach: the context menu does not offer the reset.
      await row(page, /^Dana Dual/).click({ button: 'right' });
      assert.equal(await page.getByRole('menu').count(), 0, 'no menu without an action');

      await row(page, /^Nora North/).click({ button: 'right' });
      const menu = page.getByRole('menu', { name: 'Actions for Nora North' });
      await menu.waitFor();
      assert.deepEqual(await menu.getByRole('menuitem').allInnerTexts(), ['Move to…', 'Force two-step verification reset']);
      await menu.getByRole('menuitem', { name: 'Force two-step verification reset' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Force two-step verification reset' });
      await dialog.getByText('1 member will have to set up two-step verification again at their next sign-in.').waitFor();
      await expectAccessible(page, 'the reset confirmation');
      await dialog.getByRole('button', { name: 'Reset 1 member' }).click();
      await page.getByText('1 member is reset. 1 of them had two-step verification set up.').waitFor();
      const factors = await server.t.ctx.db.selectFrom('factors').select('id').where('member_id', '=', northTech.id).execute();
      assert.equal(factors.length, 0);

      // A technician of another group is not found by their address either.
      await page.goto(`${server.baseUrl}/admin/org/member/${southTech.id}/organization`);
      await page.getByText('This page or sign-in no longer exists. Start again.').waitFor();
      assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
    } finally {
      await browser.close();
    }
  });

  describe('a master administrator', () => {
    let browser: Browser;
    before(async () => {
      browser = await openBrowser('en-US');
      await signIn(browser.page, server.baseUrl, org.email);
    });
    after(async () => {
      await browser?.close();
    });

    test('creates a group and a technician from the context menu', async () => {
      const { page } = browser;
      await page.goto(`${server.baseUrl}/admin/global-settings`);
      await row(page, /^North Desk/).waitFor();
      await screenshot(page, 'admin-tree-global-settings');

      await row(page, /^Technicians/).click({ button: 'right' });
      const menu = page.getByRole('menu', { name: 'Actions for Technicians' });
      assert.deepEqual(await menu.getByRole('menuitem').allInnerTexts(), ['Create group']);
      await expectAccessible(page, 'the context menu');
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
      await row(page, /^Administrators/).click({ button: 'right' });
      assert.deepEqual(await page.getByRole('menu', { name: 'Actions for Administrators' }).getByRole('menuitem').allInnerTexts(), ['Create group', 'Create administrator']);
      await page.keyboard.press('Escape');
      await page.getByRole('menu').waitFor({ state: 'detached' });
      await row(page, /^Master Administrators/).click({ button: 'right' });
      assert.deepEqual(await page.getByRole('menu').getByRole('menuitem').allInnerTexts(), ['Create Master Administrator']);
      await page.keyboard.press('Escape');
      await page.getByRole('menu').waitFor({ state: 'detached' });

      await row(page, /^Technicians/).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Create group' }).click();
      const groupDialog = page.getByRole('dialog', { name: 'Create group' });
      await groupDialog.getByLabel('Name').fill('North/East');
      await groupDialog.getByRole('button', { name: 'Create' }).click();
      // A refusal is shown by its code, in words, at the field.
      await groupDialog.getByText('Check this field.').waitFor();
      await expectAccessible(page, 'the Create group dialog with an error');
      await groupDialog.getByLabel('Name').fill('Night Shift');
      await groupDialog.getByRole('button', { name: 'Create' }).click();
      await page.getByText('Night Shift is created.').waitFor();
      const created = await server.t.ctx.db.selectFrom('technician_groups').select(['id', 'parent_id']).where('name', '=', 'Night Shift').executeTakeFirstOrThrow();
      assert.equal(created.parent_id, null);
      await page.waitForURL(`**/admin/org/group/${created.id}/organization`);

      await row(page, /^Night Shift/).click({ button: 'right' });
      const groupMenu = page.getByRole('menu', { name: 'Actions for Night Shift' });
      assert.deepEqual(await groupMenu.getByRole('menuitem').allInnerTexts(), ['Create group', 'Create technician', 'Move to…']);
      await screenshot(page, 'admin-tree-context-menu');
      await groupMenu.getByRole('menuitem', { name: 'Create technician' }).click();
      const techDialog = page.getByRole('dialog', { name: 'Create technician' });
      await techDialog.getByText('In Night Shift').waitFor();
      await techDialog.getByLabel('Name').fill('Theo Night');
      await techDialog.getByLabel('Email').fill(northTech.email);
      await techDialog.getByRole('button', { name: 'Create' }).click();
      await techDialog.getByText('Another member already uses this email address.').waitFor();
      await expectAccessible(page, 'the Create technician dialog');
      await techDialog.getByLabel('Email').fill('theo.night@example.test');
      await techDialog.getByRole('button', { name: 'Create' }).click();
      await page.getByText('Theo Night is created.').waitFor();
      const theo = await server.t.ctx.db.selectFrom('members').select(['id', 'technician_group_id']).where('email', '=', 'theo.night@example.test').executeTakeFirstOrThrow();
      assert.equal(theo.technician_group_id, created.id);
      await row(page, /^Theo Night/).waitFor();
      assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
    });

    test('moves a technician by drag and drop, and by the keyboard with Move to…', async () => {
      const { page } = browser;
      const theo = await server.t.ctx.db.selectFrom('members').select('id').where('email', '=', 'theo.night@example.test').executeTakeFirstOrThrow();
      await row(page, /^Theo Night/).dragTo(row(page, /^South Desk/));
      await page.getByText('Theo Night is moved to South Desk.').waitFor();
      assert.equal(await groupOf(theo.id), south);

      // By keyboard: focus the row, Shift+F10, Move to…, type, choose, Move.
      await row(page, /^Theo Night/).click();
      await page.keyboard.press('Shift+F10');
      const menu = page.getByRole('menu', { name: 'Actions for Theo Night' });
      await menu.waitFor();
      assert.deepEqual(await menu.getByRole('menuitem').allInnerTexts(), ['Move to…', 'Force two-step verification reset']);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Move Theo Night' });
      await dialog.waitFor();
      await page.keyboard.type('Night');
      await page.getByRole('listbox').getByRole('option', { name: /^Night Shift/ }).waitFor();
      await expectAccessible(page, 'the Move to… dialog');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await dialog.getByRole('button', { name: 'Move' }).focus();
      await page.keyboard.press('Enter');
      await page.getByText('Theo Night is moved to Night Shift.').waitFor();
      const night = await server.t.ctx.db.selectFrom('technician_groups').select('id').where('name', '=', 'Night Shift').executeTakeFirstOrThrow();
      assert.equal(await groupOf(theo.id), night.id);
      assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
    });

    test('selects several members with Ctrl and Shift and resets them at once, with who was refused', async () => {
      const { page } = browser;
      const crew: MemberFixture[] = [];
      for (const [index, name] of ['Crew One', 'Crew Two', 'Crew Three', 'Crew Four'].entries()) {
        const member = await addMember(server.t, org, { technicianGroupId: south, label: 'crew' });
        // The tree lists a group's technicians oldest first: these four in this order, after the others.
        await server.t.ctx.db.updateTable('members').set({ name, created_at: Date.now() + 1000 + index }).where('id', '=', member.id).execute();
        crew.push(member);
      }
      await page.goto(`${server.baseUrl}/admin`);
      await page.getByRole('button', { name: 'Expand South Desk' }).click();
      // As a person does, each click once the screen has answered the one before: the whole branch
      // drawn, then the first click's member open in the Workspace, which scrolls the page as it draws.
      await row(page, /^Crew Four/).waitFor();
      // Where a row stands in the tree's pane: the selection's toolbar comes below the rows, so a
      // selection starting moves none of them.
      const rowTop = (name: RegExp) => row(page, name).evaluate((element) =>
        element.getBoundingClientRect().top - element.closest('.admin-tree-pane')!.getBoundingClientRect().top);
      const before = await rowTop(/^Crew Four/);
      await row(page, /^Crew One/).click();
      await page.getByRole('heading', { name: 'Crew One' }).waitFor();
      await page.getByText('1 member selected').waitFor();
      assert.equal(await rowTop(/^Crew Four/), before, 'the rows stay where they were when the selection toolbar appears');
      await row(page, /^Crew Four/).click({ modifiers: ['Shift'] });
      await page.getByText('4 members selected').waitFor();
      // The Workspace redraws for the selection and may move the page under the pointer: a click that
      // changed nothing (still four selected) is made again; any other outcome fails below.
      for (let attempt = 0; attempt < 3; attempt++) {
        await row(page, /^Crew Three/).click({ modifiers: ['Control'] });
        const answered = await page.getByText('3 members selected').waitFor({ timeout: 3_000 }).then(() => true, () => false);
        if (answered || !(await page.getByText('4 members selected').isVisible())) break;
      }
      await page.getByText('3 members selected').waitFor();
      await screenshot(page, 'admin-tree-selection');
      // Crew Two is deleted meanwhile: the server refuses that one and resets the others.
      await server.t.ctx.db.deleteFrom('members').where('id', '=', crew[1]!.id).execute();
      await page.getByRole('navigation', { name: 'Organization Tree' }).getByRole('button', { name: 'Force two-step verification reset' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Force two-step verification reset' });
      await dialog.getByText('3 members will have to set up two-step verification again at their next sign-in.').waitFor();
      await expectAccessible(page, 'the reset of several members');
      await dialog.getByRole('button', { name: 'Reset 3 members' }).click();
      await page.getByText(/^2 members are reset\. None of them had two-step verification set up\. 1 member was refused: Crew Two \(.+\)\.$/).waitFor();
      const audited = await server.t.ctx.db.selectFrom('audit_events').select('entity_id').where('change_type', '=', 'Reset')
        .where('entity_id', 'in', crew.map((m) => m.id)).execute();
      assert.deepEqual(audited.map((a) => a.entity_id).sort(), [crew[0]!.id, crew[3]!.id].sort());
      assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
    });

    test('a branch the server fails to send says so, and comes on Try again', async () => {
      const { page } = browser;
      // North Desk's technicians are refused once, as a busy server would, then answered.
      let refused = 0;
      await page.route(`**/api/v1/members?*technicianGroupId=${north}*`, async (route) => {
        if (refused++ > 0) return route.continue();
        return route.fulfill({
          status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Busy', status: 503, code: 'busy', detail: 'Twofold is busy.' }),
        });
      });
      try {
        await page.goto(`${server.baseUrl}/admin`);
        await page.getByRole('button', { name: 'Expand North Desk' }).click();
        const alert = page.getByRole('alert').filter({ hasText: 'Part of the Organization Tree could not be loaded.' });
        await alert.waitFor();
        assert.match(await alert.innerText(), /Twofold is very busy\. Try again in a moment\./);
        await row(page, /^Not loaded/).waitFor();
        await screenshot(page, 'admin-tree-branch-failed');
        await expectAccessible(page, 'a branch that failed to load');
        assert.equal(refused, 1, 'a failed load is not asked again on its own');
        await alert.getByRole('button', { name: 'Try again' }).click();
        await row(page, /^Nora North/).waitFor();
        assert.equal(await alert.count(), 0);
      } finally {
        await page.unroute(`**/api/v1/members?*technicianGroupId=${north}*`);
      }
    });
  });
});
