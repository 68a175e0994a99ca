/**
 * Creating members by import and following their invitations, in Chromium, from the Workspace: a
 * CSV with one bad row is checked, the row's error is shown and nothing is saved; fixed in place,
 * the file is checked again and imported. The imported members are then on the Invitations page,
 * where one is sent a new link and the other's is withdrawn after a confirmation. In French, each
 * row's problem is said in French, from its code, never in the server's English.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, uniqueEmail } from '../support/harness.ts';
import { addGroup, organizationWith, type OrgWithAdmin } from '../twoStep/_fixtures.ts';
import { expectAccessible, openBrowser, screenshot, signInWithPassword, startWebServer, type Browser, type WebServer } from './_browser.ts';

describe('importing members and their invitations in a browser', () => {
  let server: WebServer;
  let browser: Browser;
  let org: OrgWithAdmin;
  const emails = [uniqueEmail('ann'), uniqueEmail('bob')];
  const memberCount = async () => (await server.t.ctx.db.selectFrom('members').select('id').where('organization_id', '=', org.organizationId).execute()).length;

  before(async () => {
    server = await startWebServer();
    browser = await openBrowser('en-US');
    org = await organizationWith(server.t);
    const group = await addGroup(server.t, org);
    await server.t.ctx.db.updateTable('technician_groups').set({ name: 'Support' }).where('id', '=', group).execute();
    const { page } = browser;
    await signInWithPassword(page, server.baseUrl, org.email);
    await page.waitForURL('**/account');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a file with one bad row saves nothing and shows the row\'s error; fixed, it is imported', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/admin`);
    await page.getByRole('link', { name: 'Import members' }).click();
    await page.waitForURL('**/admin/members/import');
    await page.getByRole('heading', { level: 2, name: 'Import members' }).waitFor();
    const before = await memberCount();
    // Row 3 takes the master administrator's email.
    const file = (bobEmail: string) => `name,email,role,technicianGroup,password\nAnn,${emails[0]},,Support,\nBob,${bobEmail},,Support,\n`;
    await page.getByLabel('Content').fill(file(org.email));
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.getByRole('heading', { name: '1 problem: nothing was saved. Fix it and check the file again.' }).waitFor();
    const errorRow = page.getByRole('row', { name: /^3 Email/ });
    await errorRow.waitFor();
    assert.equal(await memberCount(), before, 'nothing is saved');
    assert.equal(await page.getByRole('button', { name: /^Import/ }).count(), 0, 'no Import while a row is bad');
    await expectAccessible(page, 'an import with a bad row');
    await screenshot(page, 'admin-import-errors');

    await page.getByLabel('Content').fill(file(emails[1]!));
    assert.equal(await errorRow.count(), 0, 'an edit clears the last check');
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.getByRole('heading', { name: 'The file is good: 2 members will be created.' }).waitFor();
    assert.equal(await memberCount(), before, 'a check saves nothing');
    await page.getByRole('button', { name: 'Import 2 members' }).click();
    await page.getByText('2 members imported.').waitFor();
    const rows = await server.t.ctx.db.selectFrom('members').select(['email', 'password_hash']).where('email', 'in', emails).execute();
    assert.equal(rows.length, 2);
    assert.ok(rows.every((row) => row.password_hash === null), 'invited, no password');
  });

  test('in French, each row\'s problem is in French, from its code and details', async () => {
    const french = await openBrowser('fr-FR');
    try {
      const { page } = french;
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByLabel('E-mail').fill(org.email);
      await page.getByLabel('Mot de passe').fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL('**/account');
      await page.goto(`${server.baseUrl}/admin/members/import`);
      const twice = uniqueEmail('twice');
      await page.getByLabel('Contenu').fill(`name,email,role,technicianGroup,password\nTaken,${org.email},,Support,\nOnce,${twice},,Support,\nTwice,${twice},,Nowhere,\n`);
      await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
      await page.getByRole('heading', { name: /^3 problèmes : rien n'a été enregistré\./ }).waitFor();
      const table = page.getByRole('table').first();
      await table.getByRole('row', { name: /^2 E-mail Un membre utilise déjà cette adresse e-mail\.$/ }).waitFor();
      await table.getByRole('row', { name: /^4 E-mail La même adresse e-mail figure à la ligne 3 de ce fichier\.$/ }).waitFor();
      await table.getByRole('row', { name: /^4 Groupe de techniciens Aucun groupe de techniciens que vous pouvez voir n'a l'identifiant ou le chemin « Nowhere »\.$/ }).waitFor();
      assert.equal(await page.getByText(/already exists|same email|Unknown technician group/).count(), 0, 'none of the server\'s English');
      await expectAccessible(page, 'an import with bad rows, in French');
      await screenshot(page, 'admin-import-errors-fr');
      assert.equal(french.violations.length, 0, french.violations.join('\n'));
    } finally {
      await french.close();
    }
  });

  test('a JSON file chosen with the file field is read as JSON', async () => {
    const { page } = browser;
    await page.getByLabel('File').setInputFiles({ name: 'members.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify([{ name: 'Cy', email: uniqueEmail('cy'), technicianGroup: 'Support' }])) });
    await page.waitForFunction(() => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value.startsWith('[{'));
    assert.ok(await page.getByRole('radio', { name: 'JSON' }).isChecked());
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.getByRole('heading', { name: 'The file is good: 1 member will be created.' }).waitFor();
  });

  test('Invitations: the imported members are pending; one is sent a new link, the other\'s is withdrawn', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Invitations' }).click();
    await page.waitForURL('**/admin/invitations');
    await page.getByRole('heading', { level: 2, name: 'Invitations' }).waitFor();
    const ann = page.getByRole('row', { name: /^Ann / });
    const bob = page.getByRole('row', { name: /^Bob / });
    await ann.getByRole('cell', { name: 'Pending' }).waitFor();
    await bob.getByRole('cell', { name: 'Pending' }).waitFor();

    const outbox = server.t.outbox.length;
    await page.getByRole('button', { name: 'Send again to Ann' }).click();
    await page.getByText('A new invitation was sent to Ann; the older link no longer works.').waitFor();
    assert.equal(server.t.outbox.slice(outbox).filter((message) => message.to === emails[0]).length, 1);

    await page.getByRole('button', { name: 'Withdraw the invitation of Bob' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Withdraw the invitation of Bob?' });
    await dialog.getByText(emails[1]!, { exact: false }).waitFor();
    await expectAccessible(page, 'the withdraw confirmation');
    await dialog.getByRole('button', { name: 'Withdraw' }).click();
    await page.getByText('The invitation of Bob is withdrawn.').waitFor();
    await bob.getByRole('cell', { name: 'Withdrawn' }).waitFor();
    await expectAccessible(page, 'Invitations');
    await screenshot(page, 'admin-invitations');
    assert.equal(browser.violations.length, 0, browser.violations.join('\n'));
  });
});
