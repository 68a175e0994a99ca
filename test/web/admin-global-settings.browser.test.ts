/**
 * The Admin Center in Chromium, as the organization's story goes: a master administrator opens
 * Global Settings, makes administrators and Members of selected Technician Group(s) use two-step
 * verification with the authenticator app as primary method, reads the preview's figures and clicks
 * Save Changes; on one technician group's Settings tab ticks Enforce two-step verification and saves.
 * A technician of that group is then led to set it up at the next sign-in; one of another group is
 * not. Changing the primary method to text message warns that it resets everyone, with the count.
 * The tree is used by keyboard, axe checks each screen, and the screens are photographed for docs/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { PASSWORD, call } from '../support/harness.ts';
import { totpCode, totpStepAt } from '../../src/methods/totp.ts';
import { addGroup, addMember, organizationWith, SETTINGS_URL, type MemberFixture, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { activate, bindTotp, confirm, signInExpecting } from '../twoStep/_factors.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';
import { chooseGroup } from './_groupPicker.ts';

async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await signInWithPassword(page, baseUrl, email);
}

/** Chooses a radio button by keyboard: React Aria's label covers the input, so focus it and press Space. */
async function choose(page: Page, name: string | RegExp): Promise<void> {
  const radio = page.getByRole('radio', { name, exact: typeof name === 'string' });
  await radio.focus();
  await page.keyboard.press('Space');
  assert.ok(await radio.isChecked());
}

describe('the Admin Center in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  let enforced: string;
  let other: string;
  let technicianInEnforced: MemberFixture;
  let technicianInOther: MemberFixture;
  let subgroup: string;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t);
    enforced = await addGroup(server.t, org, false);
    other = await addGroup(server.t, org, false);
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Field Support' }).where('id', '=', enforced).execute();
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Help Desk' }).where('id', '=', other).execute();
    subgroup = await addGroup(server.t, org, false, enforced);
    technicianInEnforced = await addMember(server.t, org, { technicianGroupId: enforced, label: 'field' });
    technicianInOther = await addMember(server.t, org, { technicianGroupId: other, label: 'desk' });
    await addMember(server.t, org, { role: 'administrator', label: 'admin' });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('Global Settings: administrators and Members of selected Technician Group(s), the preview, Save Changes', async () => {
    const { page } = browser;
    await signIn(page, server.baseUrl, org.email);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByRole('link', { name: 'Admin Center' }).click();
    await page.waitForURL('**/admin');
    await page.getByText('Select a group or a member in the Organization Tree.').waitFor();
    await page.getByRole('link', { name: 'Your account' }).waitFor();
    await page.getByRole('tab', { name: 'Global Settings' }).click();
    await page.waitForURL('**/admin/global-settings');
    await page.getByRole('heading', { level: 2, name: 'Two-step verification' }).waitFor();
    assert.equal(await page.getByRole('tab', { name: 'Global Settings' }).getAttribute('aria-selected'), 'true');
    for (const name of ['Organization', 'Settings', 'Reports']) await page.getByRole('tab', { name, exact: true }).waitFor();

    await page.getByText('Administrators', { exact: true }).last().click();
    await choose(page, 'Members of selected Technician Group(s)');
    await choose(page, 'Authenticator app');
    // One administrator, no group enforced yet: the preview says so before anything is saved.
    await page.getByText('1 member will be required to use two-step verification.').waitFor();
    await page.getByText('1 member will have to set it up at their next sign-in.').waitFor();
    assert.equal(await page.getByText(/resets two-step verification/).count(), 0, 'the primary method did not change');
    await expectAccessible(page, 'Global Settings');
    await screenshot(page, 'admin-global-settings');
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.getByText('The settings are saved.').waitFor();

    const saved = (await call(server.t, 'GET', SETTINGS_URL, undefined, org.masterToken)).json<{ administrators: boolean; technicians: string; primaryMethod: string; masterAdministrators: boolean }>();
    assert.deepEqual(
      { administrators: saved.administrators, technicians: saved.technicians, primaryMethod: saved.primaryMethod, masterAdministrators: saved.masterAdministrators },
      { administrators: true, technicians: 'selected_groups', primaryMethod: 'totp', masterAdministrators: false },
    );
  });

  test('by keyboard in the Organization Tree, a group\'s Settings tab: Enforce two-step verification, Save changes', async () => {
    const { page } = browser;
    await page.getByLabel('Search groups and members').fill('Field');
    // The server answers the search once the typing pauses: the rows are there before the keyboard goes on.
    await page.getByRole('row', { name: 'Field Support' }).waitFor();
    await page.keyboard.press('Tab');
    // The search keeps the Technicians branch open down to the group: the first row, then the group.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/admin/org/group/${enforced}/organization`);
    await page.getByRole('heading', { level: 2, name: 'Field Support' }).waitFor();
    await page.getByRole('tab', { name: 'Settings', exact: true }).click();
    await page.waitForURL(`**/admin/org/group/${enforced}/settings`);
    await page.getByRole('heading', { level: 3, name: 'Two-step verification' }).waitFor();
    for (const name of ['Save changes', 'Save changes to subgroups', 'Save settings to all groups']) await page.getByRole('button', { name, exact: true }).waitFor();
    assert.equal(await page.getByText('Global Settings do not select').count(), 0, 'Global Settings select the groups now');
    await page.getByText('Enforce two-step verification').click();
    await expectAccessible(page, 'a group\'s Settings tab');
    await screenshot(page, 'admin-group-settings');
    await page.getByRole('button', { name: 'Save changes', exact: true }).click();
    await page.getByText('Saved for this group.').waitFor();

    const enforcement = async () => Object.fromEntries((await server.t.ctx.db.selectFrom('technician_groups').select(['id', 'enforce_two_step'])
      .where('organization_id', '=', org.organizationId).execute()).map((g) => [g.id, Number(g.enforce_two_step)]));
    assert.deepEqual(await enforcement(), { [enforced]: 1, [subgroup]: 0, [other]: 0 });
    await page.getByRole('button', { name: 'Save changes to subgroups' }).click();
    await page.getByText('Saved for this group and its subgroups.').waitFor();
    assert.deepEqual(await enforcement(), { [enforced]: 1, [subgroup]: 1, [other]: 0 });
    assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
  });

  test('the technician of the enforced group is led to set it up at the next sign-in; one of another group is not', async () => {
    const technician = await openBrowser('en-US');
    try {
      await signIn(technician.page, server.baseUrl, technicianInEnforced.email);
      await technician.page.getByRole('heading', { level: 1, name: 'Protect your account' }).waitFor();
      await technician.context.clearCookies();
      await signIn(technician.page, server.baseUrl, technicianInOther.email);
      await technician.page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      assert.equal(await technician.page.getByRole('link', { name: 'Admin Center' }).count(), 0);
      // A member who is no administrator never sees the Admin Center: it sends them to their account.
      await technician.page.goto(`${server.baseUrl}/admin/global-settings`);
      await technician.page.waitForURL('**/account');
      assert.equal(await technician.page.getByRole('tab', { name: 'Global Settings' }).count(), 0);
    } finally {
      await technician.close();
    }
  });

  test('a member\'s Organization tab shows their two-step verification; changing the primary method warns with the count', async () => {
    const { page } = browser;
    const { t } = server;
    // The technician sets the authenticator app up through the API (the set-up pages have their own tests).
    const tx = await signInExpecting(t, technicianInEnforced.email, 'setup');
    const pending = await bindTotp(t, tx.id);
    assert.equal((await confirm(t, tx.id, pending.factorId, totpCode(pending.seed, totpStepAt(new Date())))).statusCode, 200);
    await activate(t, tx.id);

    await page.goto(`${server.baseUrl}/admin/org/member/${technicianInEnforced.id}/organization`);
    await page.getByLabel('Name').waitFor();
    assert.equal(await page.getByLabel('Email').inputValue(), technicianInEnforced.email);
    await page.getByText('Required by Global Settings.').waitFor();
    await page.getByText('Set up.', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Force two-step verification reset' }).waitFor();
    await expectAccessible(page, 'a member\'s Organization tab');
    await screenshot(page, 'admin-member');

    await page.getByRole('tab', { name: 'Global Settings' }).click();
    await page.getByRole('heading', { level: 2, name: 'Two-step verification' }).waitFor();
    await choose(page, /^Text message/);
    await page.getByText('Changing the primary method resets two-step verification: 1 member must set it up again.').waitFor();
    await page.getByRole('button', { name: 'Save Changes' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Change the primary method?' });
    await dialog.getByText('This resets two-step verification for everyone: 1 member will have to set it up again.').waitFor();
    await expectAccessible(page, 'the reset warning');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const settings = (await call(t, 'GET', SETTINGS_URL, undefined, org.masterToken)).json<{ primaryMethod: string }>();
    assert.equal(settings.primaryMethod, 'totp', 'Cancel saves nothing');

    await page.getByRole('tab', { name: 'Reports' }).click();
    await page.getByRole('heading', { level: 2, name: 'Two-step verification report' }).waitFor();
    await expectAccessible(page, 'Reports');

    await page.goto(`${server.baseUrl}/admin/org/member/${technicianInEnforced.id}/organization`);
    await page.getByRole('button', { name: 'Force two-step verification reset' }).click();
    const reset = page.getByRole('alertdialog', { name: 'Force two-step verification reset' });
    await expectAccessible(page, 'the reset confirmation');
    await reset.getByRole('button', { name: 'Yes' }).click();
    await page.getByText(/^Two-step verification of .* is reset\.$/).waitFor();
    await page.getByText('Not set up.', { exact: true }).waitFor();
    assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
  });

  test('a member is moved to another technician group and disabled with Save changes', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/admin/org/member/${technicianInOther.id}/organization`);
    const { name: otherName } = await server.t.ctx.db.selectFrom('technician_groups').select('name').where('id', '=', other).executeTakeFirstOrThrow();
    // The member's group shows by name in the group picker, which then searches for the new one.
    await page.waitForFunction((name) => (document.querySelector('input[role=combobox]') as HTMLInputElement | null)?.value === name, otherName);
    await chooseGroup(page, 'Move to Technician Group', 'Field', 'Field Support');
    await page.getByRole('checkbox', { name: 'Enabled' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('The changes are saved.').waitFor();
    const row = await server.t.ctx.db.selectFrom('members').select(['technician_group_id', 'enabled']).where('id', '=', technicianInOther.id).executeTakeFirstOrThrow();
    assert.deepEqual({ group: row.technician_group_id, enabled: Number(row.enabled) }, { group: enforced, enabled: 0 });
  });

  test('a group of 500 technicians opens with only the rows in view in the page', async () => {
    const { page } = browser;
    const big = await addGroup(server.t, org, false);
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Big Group' }).where('id', '=', big).execute();
    for (let i = 0; i < 500; i++) await addMember(server.t, org, { technicianGroupId: big, label: 'big' });
    await page.goto(`${server.baseUrl}/admin`);
    await page.getByRole('button', { name: 'Expand Big Group' }).click();
    await page.getByRole('row', { name: /^Member big-/ }).first().waitFor();
    const rows = await page.getByRole('row').count();
    assert.ok(rows < 60, `${rows} rows in the page`);
    // The keyboard moves through rows that were not in the page: Page Down, End, then Enter opens the last row.
    await page.getByRole('row', { name: /^Member big-/ }).first().click();
    await page.waitForURL('**/admin/org/member/**');
    const opened = page.url();
    await page.keyboard.press('PageDown');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.href !== opened);
    assert.ok((await page.getByRole('row').count()) < 60);
  });

  test('Save settings to all groups gives every technician group the setting', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/admin/org/group/${other}/settings`);
    await page.getByRole('heading', { level: 2, name: 'Settings of Help Desk' }).waitFor();
    await page.getByRole('checkbox', { name: 'Enforce two-step verification' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Save settings to all groups' }).click();
    await page.getByText('Saved for all groups.').waitFor();
    const groups = await server.t.ctx.db.selectFrom('technician_groups').select(['enforce_two_step']).where('organization_id', '=', org.organizationId).execute();
    assert.ok(groups.length >= 4);
    assert.deepEqual(new Set(groups.map((g) => Number(g.enforce_two_step))), new Set([1]));
  });

  for (const [locale, heading, selected, save] of [
    ['it-IT', 'Verifica in due passaggi', 'Membri dei gruppi di tecnici selezionati', 'Salva modifiche'],
    ['nl-NL', 'Verificatie in twee stappen', 'Leden van geselecteerde techniciusgroep(en)', 'Wijzigingen opslaan'],
  ] as const) {
    test(`Global Settings in ${locale}`, async () => {
      const other = await openBrowser(locale);
      try {
        await other.page.goto(`${server.baseUrl}/sign-in`);
        await other.page.locator('input[type=email]').fill(org.email);
        await other.page.locator('input[type=password]').fill(PASSWORD);
        await other.page.locator('button[type=submit]').click();
        await other.page.waitForURL('**/account');
        await other.page.goto(`${server.baseUrl}/admin/global-settings`);
        await other.page.getByRole('heading', { level: 2, name: heading }).waitFor();
        await other.page.getByRole('radio', { name: selected }).waitFor();
        await other.page.getByRole('button', { name: save }).waitFor();
        assert.equal(await other.page.locator('html').getAttribute('lang'), locale.slice(0, 2));
        await expectAccessible(other.page, `Global Settings in ${locale}`);
        await screenshot(other.page, `admin-global-settings-${locale.slice(0, 2)}`);
      } finally {
        await other.close();
      }
    });
  }
});
