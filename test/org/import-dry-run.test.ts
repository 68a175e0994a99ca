// Threat: an administrator learns of a file's bad rows only after half an organization is imported,
// or a "check" that writes, invites or audits as the import would. The dry run judges the file
// exactly as the import does (every bad row reported, permissions included) and writes nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createOrgTestApp, engines, PASSWORD, uniqueEmail, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

interface ImportError { code: string; errors: Array<{ row: number | null; field: string | null }> }
interface Preview { valid: number; members: Array<{ row: number; name: string; email: string; role: string | null; technicianGroupId: string | null; technicianGroup: string | null; invited: boolean }> }

for (const engine of engines()) {
  describe(`the import's dry run on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
    });
    after(async () => t?.close());

    const dryRun = (content: string, token = w.mah.token) => call(t, 'POST', '/api/v1/members/import/dry-run', { format: 'csv', content }, token);
    /** Everything an import writes or sends: members, invitations, audit events, emails. */
    const footprint = async () => {
      const count = async (table: 'members' | 'invitations' | 'audit_events') =>
        Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      return { members: await count('members'), invitations: await count('invitations'), audit: await count('audit_events'), outbox: t.outbox.length };
    };

    test('a file with bad rows: every row\'s error, and nothing written, sent or audited', async () => {
      const before = await footprint();
      const response = await dryRun([
        'name,email,role,technicianGroup,password',
        `Good,${uniqueEmail('good')},,${w.groups.B},`,
        `Taken,${w.techB.email},,${w.groups.B},`,
        `Weak,${uniqueEmail('weak')},,${w.groups.B},abc`,
        `Boss,${uniqueEmail('boss')},emperor,,`,
      ].join('\n'));
      assert.equal(response.statusCode, 422, response.body);
      const problem = response.json<ImportError>();
      assert.equal(problem.code, 'import_failed');
      assert.deepEqual(problem.errors.map((e) => [e.row, e.field]), [[3, 'email'], [4, 'password'], [5, 'role']]);
      assert.deepEqual(await footprint(), before);
    });

    test('a good file: the members it would create, with each group\'s path, nothing written; the import then creates the same', async () => {
      const emails = [uniqueEmail('a'), uniqueEmail('b')];
      const content = ['name,email,role,technicianGroup,password', `Ann,${emails[0]},,${w.groups.A1},${PASSWORD}`, `Bob,${emails[1]},administrator,,`].join('\n');
      const before = await footprint();
      const response = await dryRun(content);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json<Preview>(), {
        valid: 2,
        members: [
          { row: 2, name: 'Ann', email: emails[0], role: null, technicianGroupId: w.groups.A1, technicianGroup: 'A/A1', invited: false },
          { row: 3, name: 'Bob', email: emails[1], role: 'administrator', technicianGroupId: null, technicianGroup: null, invited: true },
        ],
      });
      assert.ok(!response.body.includes(PASSWORD), 'no password in the answer');
      assert.deepEqual(await footprint(), before);

      const imported = await call(t, 'POST', '/api/v1/members/import', { format: 'csv', content }, w.mah.token);
      assert.equal(imported.statusCode, 201, imported.body);
      assert.deepEqual(imported.json<{ members: Array<{ email: string }> }>().members.map((m) => m.email), emails);
    });

    test('permissions as the import: a technician is refused, an administrator may not use another\'s group', async () => {
      const tech = await dryRun(`name,email,technicianGroup\nX,${uniqueEmail('x')},${w.groups.B}`, w.tech.token);
      assert.equal(tech.statusCode, 403, tech.body);
      assert.equal(tech.json<{ code: string }>().code, 'forbidden');
      const foreignGroup = await dryRun(`name,email,technicianGroup\nX,${uniqueEmail('x')},${w.groups.B}`, w.adminA.token);
      assert.equal(foreignGroup.statusCode, 422, foreignGroup.body);
      assert.deepEqual(foreignGroup.json<ImportError>().errors.map((e) => [e.row, e.field]), [[2, 'technicianGroup']]);
      const ownGroup = await dryRun(`name,email,technicianGroup\nX,${uniqueEmail('x')},${w.groups.A1}`, w.adminA.token);
      assert.equal(ownGroup.statusCode, 200, ownGroup.body);
    });
  });
}
