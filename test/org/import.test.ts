// Threat: a bulk import that half-succeeds (some rows in, some not) or lets a bad row through —
// a duplicate email, a group the importer may not use, a role they may not grant, a weak
// password. Imports are all or nothing, at most 500 members a file, and every bad row is reported
// with its row number as the file shows it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORT_ROW_ERROR_MEANINGS } from '../../src/http/openapiProblems.ts';
import { importMembers } from '../../src/services/members/importMembers.ts';
import { call, createOrgTestApp, engines, PASSWORD, tokenFor, uniqueEmail, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

interface ImportError { code: string; errors: Array<{ row: number | null; field: string | null; message: string; rule?: string }> }

const memberCount = async (t: TestApp, organizationId: string): Promise<number> =>
  Number((await t.ctx.db.selectFrom('members').select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', organizationId).executeTakeFirstOrThrow()).n);

for (const engine of engines()) {
  describe(`importing members on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    let tier1: string;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
      const support = (await w.asMah('POST', '/api/v1/technician-groups', { name: 'Support' })).id as string;
      tier1 = (await w.asMah('POST', '/api/v1/technician-groups', { name: 'Tier 1', parentId: support })).id as string;
    });
    after(async () => t?.close());

    const post = (body: unknown, token = w.mah.token) => call(t, 'POST', '/api/v1/members/import', body, token);

    test('a CSV of 500 members is imported, with group paths, passwords and invitations', async () => {
      const emails = Array.from({ length: 500 }, (_, i) => uniqueEmail(`csv${i}`));
      const lines = emails.map((email, i) => `"Tech ${i}",${email},,${i % 2 === 0 ? 'Support/Tier 1' : tier1},${i < 2 ? PASSWORD : ''}`);
      // A byte-order mark and the header in its own order, as spreadsheets write them.
      const content = `\uFEFFname,email,role,technicianGroup,password\n${lines.join('\n')}\n`;
      const outboxBefore = t.outbox.length;
      const response = await post({ format: 'csv', content });
      assert.equal(response.statusCode, 201, response.body);
      const body = response.json<{ imported: number; members: Array<{ id: string; email: string }> }>();
      assert.equal(body.imported, 500);
      assert.deepEqual(body.members.map((m) => m.email), emails);
      const rows = await t.ctx.db.selectFrom('members').select(['email', 'technician_group_id', 'password_hash']).where('email', 'in', emails).execute();
      assert.equal(rows.length, 500);
      assert.ok(rows.every((r) => r.technician_group_id === tier1));
      // Members with a password can sign in; the others were invited.
      await tokenFor(t, emails[0]!);
      assert.equal(t.outbox.length - outboxBefore, 498);
      assert.ok(t.outbox.slice(outboxBefore).every((m) => m.text.includes('/invitations/')));
    });

    test('a JSON array of 500 members is imported', async () => {
      const members = Array.from({ length: 500 }, (_, i) => ({ name: `Json ${i}`, email: uniqueEmail(`json${i}`), technicianGroup: w.groups.B }));
      const response = await post({ format: 'json', content: JSON.stringify(members) });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.json<{ imported: number }>().imported, 500);
    });

    test('501 members are refused and nothing is imported', async () => {
      const count = await memberCount(t, w.organizationId);
      const csv = ['name,email,technicianGroup', ...Array.from({ length: 501 }, (_, i) => `T${i},${uniqueEmail('over')},${w.groups.B}`)].join('\n');
      const asCsv = await post({ format: 'csv', content: csv });
      assert.equal(asCsv.statusCode, 422);
      const csvBody = asCsv.json<ImportError>();
      assert.equal(csvBody.code, 'import_failed');
      assert.equal(csvBody.errors[0]?.row, 502, 'the 501st member is on line 502, after the header');

      const json = JSON.stringify(Array.from({ length: 501 }, (_, i) => ({ name: `T${i}`, email: uniqueEmail('over'), technicianGroup: w.groups.B })));
      const asJson = await post({ format: 'json', content: json });
      assert.equal(asJson.statusCode, 422);
      assert.equal(asJson.json<ImportError>().errors[0]?.row, 501);
      assert.equal(await memberCount(t, w.organizationId), count);
    });

    test('a file with bad rows imports nothing and reports every bad row', async () => {
      const count = await memberCount(t, w.organizationId);
      const audits = (await t.ctx.db.selectFrom('audit_events').select('id').execute()).length;
      const dup = uniqueEmail('dup');
      const csv = [
        'name,email,role,technicianGroup,password',
        `Good One,${uniqueEmail('good')},,Support/Tier 1,`, // 2: fine
        `,${uniqueEmail('x')},,Support/Tier 1,`, //           3: no name
        `${'n'.repeat(201)},${uniqueEmail('x')},,Support/Tier 1,`, // 4: name too long
        'Bad Email,not-an-email,,Support/Tier 1,', //          5: bad email
        `First,${dup},,Support/Tier 1,`, //                    6: fine
        `Second,${dup.toUpperCase()},,Support/Tier 1,`, //     7: same email as row 6
        `Existing,${w.techB.email},,Support/Tier 1,`, //       8: email already taken
        `Lost,${uniqueEmail('x')},,Support/Tier 9,`, //        9: unknown group
        `Boss,${uniqueEmail('x')},owner,,`, //                 10: unknown role
        `Weak,${uniqueEmail('x')},,Support/Tier 1,password`, // 11: weak password
        '',
        `Late,${uniqueEmail('x')},,,`, //                      13: a technician without a group
      ].join('\n');
      const response = await post({ format: 'csv', content: csv });
      assert.equal(response.statusCode, 422, response.body);
      const body = response.json<ImportError>();
      assert.equal(body.code, 'import_failed');
      assert.deepEqual(body.errors.map((e) => [e.row, e.field]), [
        [3, 'name'], [4, 'name'], [5, 'email'], [7, 'email'], [8, 'email'], [9, 'technicianGroup'],
        [10, 'role'], [11, 'password'], [13, 'technicianGroup'],
      ]);
      assert.equal(body.errors.find((e) => e.row === 11)?.rule, 'character_kinds');
      assert.equal(await memberCount(t, w.organizationId), count);
      assert.equal((await t.ctx.db.selectFrom('audit_events').select('id').execute()).length, audits);
    });

    test('JSON rows are checked the same way, including unknown keys and non-text values', async () => {
      const content = JSON.stringify([
        { name: 'Fine', email: uniqueEmail('ok'), technicianGroup: w.groups.B },
        { name: 42, email: uniqueEmail('x'), technicianGroup: w.groups.B },
        { name: 'Extra', email: uniqueEmail('x'), technicianGroup: w.groups.B, admin: true },
        'not an object',
      ]);
      const response = await post({ format: 'json', content });
      assert.equal(response.statusCode, 422);
      assert.deepEqual(response.json<ImportError>().errors.map((e) => [e.row, e.field]), [[2, 'name'], [3, 'admin'], [4, null]]);
    });

    test('an administrator imports only technicians, only into their groups', async () => {
      const count = await memberCount(t, w.organizationId);
      const content = JSON.stringify([
        { name: 'Mine', email: uniqueEmail('ok'), technicianGroup: 'A/A1' },
        { name: 'Theirs', email: uniqueEmail('x'), technicianGroup: w.groups.B },
        { name: 'Promoted', email: uniqueEmail('x'), role: 'administrator', technicianGroup: w.groups.A1 },
      ]);
      const refused = await post({ format: 'json', content }, w.adminA.token);
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(refused.json<ImportError>().errors.map((e) => [e.row, e.field]), [[2, 'technicianGroup'], [3, 'role']]);
      assert.equal(await memberCount(t, w.organizationId), count);

      const fine = await post({ format: 'json', content: JSON.stringify([{ name: 'Mine', email: uniqueEmail('ok'), technicianGroup: 'A/A1' }]) }, w.adminA.token);
      assert.equal(fine.statusCode, 201, fine.body);
      assert.equal(await memberCount(t, w.organizationId), count + 1);
    });

    test('every bad row carries a stable code, and the details its message needs, beside the English message', async () => {
      type Coded = ImportError['errors'][number] & { code: string } & Record<string, unknown>;
      const errorsOf = async (body: unknown, token = w.mah.token): Promise<Coded[]> => {
        const response = await post(body, token);
        assert.equal(response.statusCode, 422, response.body);
        assert.equal(response.json<ImportError>().code, 'import_failed');
        const errors = response.json<{ errors: Coded[] }>().errors;
        for (const error of errors) {
          assert.ok(error.code in IMPORT_ROW_ERROR_MEANINGS, `${error.code} is a documented import row code`);
          assert.ok(error.message.length > 0, 'the English message stays');
        }
        return errors;
      };
      const dup = uniqueEmail('dup');
      const rows = await errorsOf({ format: 'csv', content: [
        'name,email,role,technicianGroup,password',
        `,${uniqueEmail('x')},,Support/Tier 1,`,
        `${'n'.repeat(201)},${uniqueEmail('x')},,Support/Tier 1,`,
        'Bad Email,not-an-email,,Support/Tier 1,',
        `First,${dup},,Support/Tier 1,`,
        `Second,${dup},,Support/Tier 1,`,
        `Existing,${w.techB.email},,Support/Tier 1,`,
        `Lost,${uniqueEmail('x')},,Support/Tier 9,`,
        `Boss,${uniqueEmail('x')},owner,,`,
        `Weak,${uniqueEmail('x')},,Support/Tier 1,password`,
        `Late,,,,`,
        `Short,${uniqueEmail('x')}`,
      ].join('\n') });
      assert.deepEqual(rows.map((e) => [e.row, e.field, e.code]), [
        [2, 'name', 'name_required'], [3, 'name', 'name_too_long'], [4, 'email', 'email_invalid'], [6, 'email', 'email_repeated'],
        [7, 'email', 'email_taken'], [8, 'technicianGroup', 'group_unknown'], [9, 'role', 'role_invalid'], [10, 'password', 'password_too_weak'],
        [11, 'email', 'email_required'], [11, 'technicianGroup', 'group_required'], [12, null, 'column_count'], [12, 'technicianGroup', 'group_required'],
      ]);
      const at = (row: number, code: string) => rows.find((e) => e.row === row && e.code === code);
      assert.equal(at(3, 'name_too_long')?.maximum, 200);
      assert.equal(at(6, 'email_repeated')?.otherRow, 5);
      assert.equal(at(8, 'group_unknown')?.value, 'Support/Tier 9');
      assert.equal(at(10, 'password_too_weak')?.rule, 'character_kinds');
      assert.deepEqual([at(12, 'column_count')?.expected, at(12, 'column_count')?.found], [5, 2]);

      const header = await errorsOf({ format: 'csv', content: 'name,mail,name\nA,a@example.test,A' });
      assert.deepEqual(header.map((e) => [e.row, e.field, e.code, e.value]), [
        [1, 'mail', 'unknown_column', 'mail'], [1, 'email', 'missing_column', undefined], [1, null, 'duplicate_column', undefined],
      ]);
      assert.deepEqual((await errorsOf({ format: 'csv', content: 'name,email\n"unclosed,a@example.test' })).map((e) => e.code), ['csv_unreadable']);
      assert.deepEqual((await errorsOf({ format: 'csv', content: 'name,email\n' })).map((e) => e.code), ['file_empty']);
      const tooMany = await errorsOf({ format: 'json', content: JSON.stringify(Array.from({ length: 501 }, (_, i) => ({ name: `T${i}`, email: uniqueEmail('over') }))) });
      assert.deepEqual(tooMany.map((e) => [e.row, e.code, e.maximum, e.count]), [[501, 'too_many_rows', 500, 501]]);

      assert.deepEqual((await errorsOf({ format: 'json', content: '[{' })).map((e) => e.code), ['json_unreadable']);
      assert.deepEqual((await errorsOf({ format: 'json', content: '{"name":"A"}' })).map((e) => e.code), ['json_not_array']);
      const json = await errorsOf({ format: 'json', content: JSON.stringify([{ name: 42, email: uniqueEmail('x'), technicianGroup: w.groups.B, admin: true }, 'not an object']) });
      assert.deepEqual(json.map((e) => [e.row, e.field, e.code, e.value]), [[1, 'admin', 'unknown_field', 'admin'], [1, 'name', 'not_text', undefined], [2, null, 'not_an_object', undefined]]);

      const administrator = await errorsOf({ format: 'json', content: JSON.stringify([
        { name: 'Theirs', email: uniqueEmail('x'), technicianGroup: w.groups.B },
        { name: 'Promoted', email: uniqueEmail('x'), role: 'administrator', technicianGroup: w.groups.A1 },
      ]) }, w.adminA.token);
      assert.deepEqual(administrator.map((e) => [e.row, e.field, e.code, e.value]), [[1, 'technicianGroup', 'group_unknown', w.groups.B], [2, 'role', 'role_forbidden', 'administrator']]);
    });

    test('the command line imports as the system, into the organization it names', async () => {
      const email = uniqueEmail('cli');
      const result = await importMembers(t.ctx, 'system', w.organizationId, { format: 'csv', content: `name,email,role\nCli Admin,${email},administrator\n` });
      assert.equal(result.imported, 1);
      const event = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_id', '=', result.members[0]!.id).executeTakeFirstOrThrow();
      assert.deepEqual([event.actor_id, event.actor_name, event.change_type], [null, 'Command line', 'Add']);
      await assert.rejects(
        importMembers(t.ctx, 'system', '00000000-0000-4000-8000-000000000000', { format: 'csv', content: `name,email,role\nX,${uniqueEmail()},administrator\n` }),
        (error: { code?: string }) => error.code === 'not_found',
      );
    });
  });
}
