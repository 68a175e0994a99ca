/**
 * A member's Organization tab in Chromium: every field the reference product has (Name, Email,
 * Description, New password with the minimum strength, Status Enabled, Move to Technician Group,
 * role and licences, Save changes); a member locked by wrong codes through the API shows the lock
 * with its end, is unlocked from the page and then signs in; a member is deleted after confirming.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { totpCode, totpStepAt } from '../../src/methods/totp.ts';
import { PASSWORD, call } from '../support/harness.ts';
import { activate, bindTotp, confirm, signInExpecting, verify } from '../twoStep/_factors.ts';
import { addGroup, addMember, organizationWith, type MemberFixture, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';
import { chooseGroup, watchWholeGroupList } from './_groupPicker.ts';

/** A six-digit code that is none of the codes the server accepts now (the current step and one either side). */
function wrongCode(seed: Buffer, salt: number): string {
  const step = totpStepAt(new Date());
  const accepted = new Set([-2, -1, 0, 1, 2].map((offset) => totpCode(seed, step + offset)));
  for (let candidate = 100_000 + salt * 7919; ; candidate++) {
    const code = String(candidate % 1_000_000).padStart(6, '0');
    if (!accepted.has(code)) return code;
  }
}

describe('a member\'s Organization tab in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  let group: string;
  let locked: MemberFixture & { factorId: string; seed: Buffer };
  let wholeGroupList: string[];

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    wholeGroupList = watchWholeGroupList(browser.page);
    org = await organizationWith(server.t, { technicians: 'all' });
    group = await addGroup(server.t, org);
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Field Support' }).where('id', '=', group).execute();
    const member = await addMember(server.t, org, { technicianGroupId: group, label: 'locked' });
    const tx = await signInExpecting(server.t, member.email, 'setup');
    const pending = await bindTotp(server.t, tx.id);
    assert.equal((await confirm(server.t, tx.id, pending.factorId, totpCode(pending.seed, totpStepAt(new Date())))).statusCode, 200);
    await activate(server.t, tx.id);
    locked = { ...member, factorId: pending.factorId, seed: pending.seed };
    await signInWithPassword(browser.page, server.baseUrl, org.email);
    await browser.page.waitForURL('**/account');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('every field of the reference product; Description and a new password are saved, a weak one is refused', async () => {
    const { page } = browser;
    const member = await addMember(server.t, org, { technicianGroupId: group, label: 'fields' });
    await page.goto(`${server.baseUrl}/admin/org/member/${member.id}/organization`);
    await page.getByLabel('Name').waitFor();
    for (const label of ['Email', 'Description', 'New password', 'Role']) await page.getByLabel(label, { exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Move to Technician Group', exact: true }).waitFor();
    await page.getByText(/Minimum strength: good/).waitFor();
    await page.getByRole('group', { name: 'Status' }).getByRole('checkbox', { name: 'Enabled' }).waitFor();
    await page.getByText('Licences: Technician').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).waitFor();

    await page.getByLabel('New password').fill('abcdefgh');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('This password does not meet your organization\'s password policy.').waitFor();

    await page.getByLabel('Description').fill('Night shift');
    await page.getByLabel('New password').fill('Another-Horse-7!');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('The changes are saved.').waitFor();
    const row = await server.t.ctx.db.selectFrom('members').select(['description', 'password_changed_at']).where('id', '=', member.id).executeTakeFirstOrThrow();
    assert.equal(row.description, 'Night shift');
    const signedIn = await call(server.t, 'POST', '/api/v1/sign-in', { email: member.email, password: 'Another-Horse-7!', client: { kind: 'technician-console', version: '7.100.0' } });
    assert.equal(signedIn.statusCode, 200, 'the new password is the member\'s');
  });

  test('Move to Technician Group is the group picker: searched by keyboard, the member is moved; no screen reads every group', async () => {
    const { page } = browser;
    const night = await addGroup(server.t, org);
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Night Shift' }).where('id', '=', night).execute();
    const member = await addMember(server.t, org, { technicianGroupId: group, label: 'mover' });
    await page.goto(`${server.baseUrl}/admin/org/member/${member.id}/organization`);
    const picker = page.getByRole('combobox', { name: 'Move to Technician Group', exact: true });
    // The member's own group, read by id.
    await page.waitForFunction(() => (document.querySelector('input[role=combobox]') as HTMLInputElement | null)?.value === 'Field Support');

    // The list opens on the top groups before anything is typed, "No technician group" first.
    await picker.focus();
    await page.keyboard.press('ArrowDown');
    const listbox = page.getByRole('listbox');
    await listbox.getByRole('option', { name: 'Night Shift' }).waitFor();
    assert.equal(await listbox.getByRole('option').first().textContent(), 'No technician group');
    await expectAccessible(page, 'the group picker\'s open list', '[role=listbox]');
    await screenshot(page, 'admin-member-group-picker');
    await page.keyboard.press('Escape');
    await listbox.waitFor({ state: 'detached' });
    await page.waitForFunction(() => (document.querySelector('input[role=combobox]') as HTMLInputElement | null)?.value === 'Field Support');
    // The whole page checked closed: while the list is open React Aria hides the rest of the page from
    // assistive technology, which axe reports; the open list was checked by itself above.
    await expectAccessible(page, 'the member\'s tab with the group picker');

    await chooseGroup(page, 'Move to Technician Group', 'nigh', 'Night Shift');
    assert.equal(await picker.inputValue(), 'Night Shift');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('The changes are saved.').waitFor();
    const moved = await server.t.ctx.db.selectFrom('members').select('technician_group_id').where('id', '=', member.id).executeTakeFirstOrThrow();
    assert.equal(moved.technician_group_id, night);
    await page.waitForFunction(() => (document.querySelector('input[role=combobox]') as HTMLInputElement | null)?.value === 'Night Shift');

    // Every screen that chooses or names a group reads only what it shows.
    await page.goto(`${server.baseUrl}/admin/org/group/${night}/organization`);
    await page.getByRole('heading', { level: 2, name: 'Night Shift' }).waitFor();
    await page.getByRole('link', { name: /^Member mover-/ }).waitFor();
    await page.goto(`${server.baseUrl}/admin/org/group/${night}/settings`);
    await page.getByRole('heading', { level: 2, name: 'Settings of Night Shift' }).waitFor();
    await page.goto(`${server.baseUrl}/admin/org/group/${night}/reports`);
    await page.getByRole('grid', { name: 'Members' }).getByRole('row', { name: /mover-/ }).waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Technician group', exact: true }).inputValue(), 'Night Shift');
    await page.goto(`${server.baseUrl}/admin/members/import`);
    await page.getByLabel('Content', { exact: true }).fill(`name,email,technicianGroup\nNew Night,new.night@example.test,Night Shift\n`);
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.getByRole('cell', { name: 'Night Shift', exact: true }).waitFor();
    assert.deepEqual(wholeGroupList, [], 'no request for the whole list of groups');
    assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
  });

  test('in Italian, the group picker, a group\'s Organization tab, by keyboard', async () => {
    const italian = await openBrowser('it-IT');
    try {
      const { page } = italian;
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByLabel('Email').fill(org.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL('**/account');
      const member = await addMember(server.t, org, { technicianGroupId: group, label: 'italiano' });
      await page.goto(`${server.baseUrl}/admin/org/member/${member.id}/organization`);
      const picker = page.getByRole('combobox', { name: 'Sposta nel gruppo di tecnici', exact: true });
      await page.waitForFunction(() => (document.querySelector('input[role=combobox]') as HTMLInputElement | null)?.value === 'Field Support');
      await picker.focus();
      await page.keyboard.press('ArrowDown');
      const listbox = page.getByRole('listbox');
      await listbox.getByRole('option', { name: 'Nessun gruppo di tecnici' }).waitFor();
      await screenshot(page, 'admin-member-group-picker-it');
      // Down to "No technician group", Enter: the member is to lose the group and its licence.
      for (let i = 0; i < 10 && (await listbox.locator('[role=option][data-focused]').count() === 0
        || await listbox.locator('[role=option][data-focused]').textContent() !== 'Nessun gruppo di tecnici'); i++) await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await listbox.waitFor({ state: 'detached' });
      assert.equal(await picker.inputValue(), '');
      await page.getByText('Licenze: nessuna').waitFor();
      await page.keyboard.press('Escape');
      await expectAccessible(page, 'the member\'s tab in Italian');

      await page.goto(`${server.baseUrl}/admin/org/group/${group}/organization`);
      await page.getByRole('heading', { level: 2, name: 'Field Support' }).waitFor();
      await expectAccessible(page, 'a group\'s Organization tab in Italian');
      await screenshot(page, 'admin-group-overview-it');
      assert.equal(italian.violations.length, 0, italian.violations.join('\n'));
    } finally {
      await italian.close();
    }
  });

  test('locked by wrong codes through the API, unlocked from the page, the member signs in', async () => {
    const { page } = browser;
    const { t } = server;
    for (let i = 0; i < 10; i++) {
      const tx = await signInExpecting(t, locked.email, 'verify');
      for (let j = 0; j < 5 && i < 10; j++, i++) {
        assert.ok([400, 410, 423].includes((await verify(t, tx.id, locked.factorId, wrongCode(locked.seed, i))).statusCode));
      }
      i--;
    }
    const record = (await call(t, 'GET', `/api/v1/members/${locked.id}`, undefined, org.masterToken)).json<{ twoStepVerification: { factors: Array<{ locked: boolean; lockedUntil: string | null }> } }>();
    const lockedUntil = record.twoStepVerification.factors[0]?.lockedUntil;
    assert.ok(record.twoStepVerification.factors[0]?.locked && lockedUntil, 'the method is locked');

    await page.goto(`${server.baseUrl}/admin/org/member/${locked.id}/organization`);
    await page.getByRole('heading', { level: 3, name: 'Locks' }).waitFor();
    // The end of the lock in the administrator's language and time zone.
    const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'Europe/Paris' }).format(new Date(lockedUntil));
    const lock = page.getByText(/^Authenticator app .*locked after too many wrong codes, until /);
    await lock.waitFor();
    assert.ok((await lock.textContent())?.includes(day), await lock.textContent() ?? '');
    await expectAccessible(page, 'a member\'s Organization tab with a lock');
    await screenshot(page, 'admin-member-locks');

    await page.getByRole('button', { name: 'Unlock methods' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Unlock methods' });
    await dialog.getByText(/can verify with their locked methods again at once/).waitFor();
    await expectAccessible(page, 'the unlock confirmation');
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText(/ is unlocked\.$/).waitFor();
    await page.getByText('Nothing is locked.').waitFor();

    const member = await openBrowser('en-US');
    try {
      await signInWithPassword(member.page, server.baseUrl, locked.email);
      await member.page.getByRole('heading', { level: 1, name: 'Enter the security code' }).waitFor();
      await member.page.getByLabel('Security code').fill(totpCode(locked.seed, totpStepAt(new Date()) + 1));
      await member.page.getByRole('button', { name: 'Verify' }).click();
      await member.page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    } finally {
      await member.close();
    }
  });

  test('a member is deleted after a confirmation that names them', async () => {
    const { page } = browser;
    const doomed = await addMember(server.t, org, { technicianGroupId: group, label: 'doomed' });
    await page.goto(`${server.baseUrl}/admin/org/member/${doomed.id}/organization`);
    await page.getByRole('button', { name: 'Delete member' }).click();
    const dialog = page.getByRole('alertdialog', { name: /^Delete Member doomed-/ });
    await dialog.getByText(doomed.email, { exact: false }).waitFor();
    await expectAccessible(page, 'the delete confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await call(server.t, 'GET', `/api/v1/members/${doomed.id}`, undefined, org.masterToken)).statusCode, 200, 'Cancel deletes nothing');

    await page.getByRole('button', { name: 'Delete member' }).click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin');
    assert.equal((await call(server.t, 'GET', `/api/v1/members/${doomed.id}`, undefined, org.masterToken)).statusCode, 404);
    assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
  });
});
