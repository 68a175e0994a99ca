// Threat: malformed or hostile input — wrong types, missing or unknown fields, oversized names,
// emails and bodies, unknown ids and another organization's ids — crashing a route (a 500 that
// may leak internals) or changing anything. Every case must get a 4xx problem+json answer with a
// stable code, and the database must be exactly as it was afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createOrgTestApp, engines, invitationToken, uniqueEmail, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Case { readonly name: string; readonly method: Method; readonly url: string; readonly body?: unknown; readonly status: number; readonly code: string }

const LONG_NAME = 'n'.repeat(201);
const LONG_EMAIL = `${'e'.repeat(245)}@example.test`; // 258 characters
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const HUGE = 'x'.repeat(1024 * 1024 + 10);

interface Foreign { group: string; adminGroup: string; member: string }

function cases(w: World, foreign: Foreign, token: string): Case[] {
  const { A, A1, B } = w.groups;
  const bad = (status: number, code: string) => ({ status, code });
  const invalid = bad(400, 'validation_failed');
  const notFound = bad(404, 'not_found');
  return [
    // Technician groups
    { name: 'group: no name', method: 'POST', url: '/api/v1/technician-groups', body: {}, ...invalid },
    { name: 'group: name of the wrong type', method: 'POST', url: '/api/v1/technician-groups', body: { name: 5 }, ...invalid },
    { name: 'group: blank name', method: 'POST', url: '/api/v1/technician-groups', body: { name: '   ' }, ...invalid },
    { name: 'group: 201-character name', method: 'POST', url: '/api/v1/technician-groups', body: { name: LONG_NAME }, ...invalid },
    { name: 'group: unknown field', method: 'POST', url: '/api/v1/technician-groups', body: { name: 'G', color: 'red' }, ...invalid },
    { name: 'group: parent of the wrong type', method: 'POST', url: '/api/v1/technician-groups', body: { name: 'G', parentId: 7 }, ...invalid },
    { name: 'group: unknown parent', method: 'POST', url: '/api/v1/technician-groups', body: { name: 'G', parentId: UNKNOWN }, ...notFound },
    { name: 'group: parent of another organization', method: 'POST', url: '/api/v1/technician-groups', body: { name: 'G', parentId: foreign.group }, ...notFound },
    { name: 'group: body over 1 MiB', method: 'POST', url: '/api/v1/technician-groups', body: { name: HUGE }, ...bad(413, 'payload_too_large') },
    { name: 'group: read unknown id', method: 'GET', url: `/api/v1/technician-groups/${UNKNOWN}`, ...notFound },
    { name: 'group: read another organization\'s group', method: 'GET', url: `/api/v1/technician-groups/${foreign.group}`, ...notFound },
    { name: 'group: empty edit', method: 'PATCH', url: `/api/v1/technician-groups/${A}`, body: {}, ...invalid },
    { name: 'group: enforce flag of the wrong type', method: 'PATCH', url: `/api/v1/technician-groups/${A}`, body: { enforceTwoStepVerification: 'yes' }, ...invalid },
    { name: 'group: rename to 201 characters', method: 'PATCH', url: `/api/v1/technician-groups/${A}`, body: { name: LONG_NAME }, ...invalid },
    { name: 'group: edit unknown field', method: 'PATCH', url: `/api/v1/technician-groups/${A}`, body: { owner: 'me' }, ...invalid },
    { name: 'group: edit unknown id', method: 'PATCH', url: `/api/v1/technician-groups/${UNKNOWN}`, body: { name: 'X' }, ...notFound },
    { name: 'group: edit another organization\'s group', method: 'PATCH', url: `/api/v1/technician-groups/${foreign.group}`, body: { name: 'X' }, ...notFound },
    { name: 'group: move below an unknown group', method: 'PATCH', url: `/api/v1/technician-groups/${B}`, body: { parentId: UNKNOWN }, ...notFound },
    { name: 'group: move below another organization\'s group', method: 'PATCH', url: `/api/v1/technician-groups/${B}`, body: { parentId: foreign.group }, ...notFound },
    { name: 'group: move below its own subgroup', method: 'PATCH', url: `/api/v1/technician-groups/${A}`, body: { parentId: A1 }, ...bad(409, 'group_cycle') },
    { name: 'group: move below itself', method: 'PATCH', url: `/api/v1/technician-groups/${A}`, body: { parentId: A }, ...bad(409, 'group_cycle') },
    { name: 'group: a sibling\'s name', method: 'POST', url: '/api/v1/technician-groups', body: { name: 'a1', parentId: A }, ...bad(409, 'group_name_taken') },
    { name: 'group: rename to a sibling\'s name', method: 'PATCH', url: `/api/v1/technician-groups/${B}`, body: { name: ' a ' }, ...bad(409, 'group_name_taken') },
    { name: 'group: edit body over 1 MiB', method: 'PATCH', url: `/api/v1/technician-groups/${A}`, body: { description: HUGE }, ...bad(413, 'payload_too_large') },
    { name: 'group: delete unknown id', method: 'DELETE', url: `/api/v1/technician-groups/${UNKNOWN}`, ...notFound },
    { name: 'group: delete another organization\'s group', method: 'DELETE', url: `/api/v1/technician-groups/${foreign.group}`, ...notFound },
    { name: 'group: delete a group with subgroups', method: 'DELETE', url: `/api/v1/technician-groups/${A}`, ...bad(409, 'group_not_empty') },
    { name: 'group: delete a group with members', method: 'DELETE', url: `/api/v1/technician-groups/${B}`, ...bad(409, 'group_not_empty') },

    // Administrator groups
    { name: 'admin group: no name', method: 'POST', url: '/api/v1/administrator-groups', body: {}, ...invalid },
    { name: 'admin group: 201-character name', method: 'POST', url: '/api/v1/administrator-groups', body: { name: LONG_NAME }, ...invalid },
    { name: 'admin group: unknown field', method: 'POST', url: '/api/v1/administrator-groups', body: { name: 'G', rights: 'all' }, ...invalid },
    { name: 'admin group: unknown parent', method: 'POST', url: '/api/v1/administrator-groups', body: { name: 'G', parentId: UNKNOWN }, ...notFound },
    { name: 'admin group: parent of another organization', method: 'POST', url: '/api/v1/administrator-groups', body: { name: 'G', parentId: foreign.adminGroup }, ...notFound },
    { name: 'admin group: body over 1 MiB', method: 'POST', url: '/api/v1/administrator-groups', body: { name: HUGE }, ...bad(413, 'payload_too_large') },
    { name: 'admin group: read another organization\'s group', method: 'GET', url: `/api/v1/administrator-groups/${foreign.adminGroup}`, ...notFound },
    { name: 'admin group: edit unknown id', method: 'PATCH', url: `/api/v1/administrator-groups/${UNKNOWN}`, body: { name: 'X' }, ...notFound },
    { name: 'admin group: name of the wrong type', method: 'PATCH', url: `/api/v1/administrator-groups/${w.administratorGroupId}`, body: { name: false }, ...invalid },
    { name: 'admin group: move below itself', method: 'PATCH', url: `/api/v1/administrator-groups/${w.administratorGroupId}`, body: { parentId: w.administratorGroupId }, ...bad(409, 'group_cycle') },
    { name: 'admin group: delete another organization\'s group', method: 'DELETE', url: `/api/v1/administrator-groups/${foreign.adminGroup}`, ...notFound },

    // Members
    { name: 'member: delete unknown id', method: 'DELETE', url: `/api/v1/members/${UNKNOWN}`, ...notFound },
    { name: 'member: delete another organization\'s member', method: 'DELETE', url: `/api/v1/members/${foreign.member}`, ...notFound },
    { name: 'member: delete the Master Account Holder', method: 'DELETE', url: `/api/v1/members/${w.mah.id}`, ...bad(403, 'forbidden') },
    { name: 'member: no email', method: 'POST', url: '/api/v1/members', body: { name: 'M', technicianGroupId: B }, ...invalid },
    { name: 'member: no name', method: 'POST', url: '/api/v1/members', body: { email: uniqueEmail(), technicianGroupId: B }, ...invalid },
    { name: 'member: 201-character name', method: 'POST', url: '/api/v1/members', body: { name: LONG_NAME, email: uniqueEmail(), technicianGroupId: B }, ...invalid },
    { name: 'member: email over 254 characters', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: LONG_EMAIL, technicianGroupId: B }, ...invalid },
    { name: 'member: not an email', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: 'not-an-email', technicianGroupId: B }, ...invalid },
    { name: 'member: unknown role', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: uniqueEmail(), role: 'owner' }, ...invalid },
    { name: 'member: unknown field', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: uniqueEmail(), technicianGroupId: B, isAdmin: true }, ...invalid },
    { name: 'member: neither role nor group', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: uniqueEmail() }, ...invalid },
    { name: 'member: unknown group', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: uniqueEmail(), technicianGroupId: UNKNOWN }, ...notFound },
    { name: 'member: group of another organization', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: uniqueEmail(), technicianGroupId: foreign.group }, ...notFound },
    { name: 'member: administrator group of another organization', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: uniqueEmail(), role: 'administrator', administratorGroupId: foreign.adminGroup }, ...notFound },
    { name: 'member: technician in an administrator group', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: uniqueEmail(), technicianGroupId: B, administratorGroupId: w.administratorGroupId }, ...invalid },
    { name: 'member: email taken (other case)', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: w.techB.email.toUpperCase(), technicianGroupId: B }, ...bad(409, 'email_taken') },
    { name: 'member: email taken in another organization', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: w.foreign.email, technicianGroupId: B }, ...bad(409, 'email_taken') },
    { name: 'member: weak password', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: uniqueEmail(), technicianGroupId: B, password: 'short' }, ...bad(422, 'password_too_weak') },
    { name: 'member: body over 1 MiB', method: 'POST', url: '/api/v1/members', body: { name: 'M', email: uniqueEmail(), technicianGroupId: B, description: HUGE }, ...bad(413, 'payload_too_large') },
    { name: 'member: read unknown id', method: 'GET', url: `/api/v1/members/${UNKNOWN}`, ...notFound },
    { name: 'member: read another organization\'s member', method: 'GET', url: `/api/v1/members/${foreign.member}`, ...notFound },
    { name: 'member: empty edit', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: {}, ...invalid },
    { name: 'member: enabled of the wrong type', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { enabled: 'no' }, ...invalid },
    { name: 'member: edit email over 254 characters', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { email: LONG_EMAIL }, ...invalid },
    { name: 'member: edit name to 201 characters', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { name: LONG_NAME }, ...invalid },
    { name: 'member: edit unknown field', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { licenses: {} }, ...invalid },
    { name: 'member: edit unknown id', method: 'PATCH', url: `/api/v1/members/${UNKNOWN}`, body: { name: 'X' }, ...notFound },
    { name: 'member: edit another organization\'s member', method: 'PATCH', url: `/api/v1/members/${foreign.member}`, body: { name: 'X' }, ...notFound },
    { name: 'member: move to another organization\'s group', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { technicianGroupId: foreign.group }, ...notFound },
    { name: 'member: technician leaves every group', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { technicianGroupId: null }, ...invalid },
    { name: 'member: assign groups to a technician', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { assignedTechnicianGroupIds: [B] }, ...invalid },
    { name: 'member: assign another organization\'s group', method: 'PATCH', url: `/api/v1/members/${w.adminA.id}`, body: { assignedTechnicianGroupIds: [foreign.group] }, ...notFound },
    { name: 'member: take another member\'s email', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { email: w.tech.email }, ...bad(409, 'email_taken') },
    { name: 'member: weak new password', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { password: 'aaaaaaaa' }, ...bad(422, 'password_too_weak') },
    { name: 'member: edit body over 1 MiB', method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { description: HUGE }, ...bad(413, 'payload_too_large') },
    { name: 'members: limit 0', method: 'GET', url: '/api/v1/members?limit=0', ...invalid },
    { name: 'members: limit 201', method: 'GET', url: '/api/v1/members?limit=201', ...invalid },
    { name: 'members: limit not a number', method: 'GET', url: '/api/v1/members?limit=ten', ...invalid },
    { name: 'members: forged cursor', method: 'GET', url: '/api/v1/members?cursor=bm90LWEtY3Vyc29y', ...invalid },
    { name: 'members: unknown query parameter', method: 'GET', url: '/api/v1/members?sort=name', ...invalid },
    { name: 'members: unknown role', method: 'GET', url: '/api/v1/members?role=owner', ...invalid },
    { name: 'members: unknown two-step state', method: 'GET', url: '/api/v1/members?twoStepState=maybe', ...invalid },
    { name: 'members: empty search', method: 'GET', url: '/api/v1/members?q=', ...invalid },
    { name: 'members: unknown group filter', method: 'GET', url: `/api/v1/members?technicianGroupId=${UNKNOWN}`, ...notFound },
    { name: 'members: another organization\'s group filter', method: 'GET', url: `/api/v1/members?technicianGroupId=${foreign.group}`, ...notFound },

    // Import
    { name: 'import: unknown format', method: 'POST', url: '/api/v1/members/import', body: { format: 'xml', content: '<x/>' }, ...invalid },
    { name: 'import: no content', method: 'POST', url: '/api/v1/members/import', body: { format: 'csv' }, ...invalid },
    { name: 'import: unknown field', method: 'POST', url: '/api/v1/members/import', body: { format: 'csv', content: 'name,email', dryRun: true }, ...invalid },
    { name: 'import: content that is not JSON', method: 'POST', url: '/api/v1/members/import', body: { format: 'json', content: '[{' }, ...bad(422, 'import_failed') },
    { name: 'import: JSON that is not an array', method: 'POST', url: '/api/v1/members/import', body: { format: 'json', content: '{"name":"x"}' }, ...bad(422, 'import_failed') },
    { name: 'import: CSV without an email column', method: 'POST', url: '/api/v1/members/import', body: { format: 'csv', content: 'name\nAnn\n' }, ...bad(422, 'import_failed') },
    { name: 'import: body over 1 MiB', method: 'POST', url: '/api/v1/members/import', body: { format: 'csv', content: HUGE }, ...bad(413, 'payload_too_large') },

    // Invitations
    { name: 'invitation: unknown token', method: 'POST', url: `/api/v1/invitations/${'t'.repeat(43)}/accept`, body: { password: 'Str0ng-Passw0rd' }, ...bad(400, 'invalid_invitation') },
    { name: 'invitation: malformed token', method: 'GET', url: '/api/v1/invitations/short', ...invalid },
    { name: 'invitation: no password', method: 'POST', url: `/api/v1/invitations/${token}/accept`, body: {}, ...invalid },
    { name: 'invitation: weak password', method: 'POST', url: `/api/v1/invitations/${token}/accept`, body: { password: 'password' }, ...bad(422, 'password_too_weak') },

    // The organization, Global Settings, the audit trail
    { name: 'holder: no member', method: 'POST', url: '/api/v1/organization/master-account-holder', body: {}, ...invalid },
    { name: 'holder: unknown member', method: 'POST', url: '/api/v1/organization/master-account-holder', body: { memberId: UNKNOWN }, ...notFound },
    { name: 'holder: member of another organization', method: 'POST', url: '/api/v1/organization/master-account-holder', body: { memberId: foreign.member }, ...notFound },
    { name: 'holder: a technician', method: 'POST', url: '/api/v1/organization/master-account-holder', body: { memberId: w.techB.id }, ...bad(409, 'conflict') },
    { name: 'policy: missing fields', method: 'PUT', url: '/api/v1/settings/password-policy', body: { minimumStrength: 'strong' }, ...invalid },
    { name: 'policy: unknown strength', method: 'PUT', url: '/api/v1/settings/password-policy', body: { minimumStrength: 'weak', maximumAgeDays: 0, expiryNoticeDays: 0, adminChangeForcesChange: false }, ...invalid },
    { name: 'policy: age out of range', method: 'PUT', url: '/api/v1/settings/password-policy', body: { minimumStrength: 'good', maximumAgeDays: 3651, expiryNoticeDays: 0, adminChangeForcesChange: false }, ...invalid },
    { name: 'policy: negative notice', method: 'PUT', url: '/api/v1/settings/password-policy', body: { minimumStrength: 'good', maximumAgeDays: 0, expiryNoticeDays: -1, adminChangeForcesChange: false }, ...invalid },
    { name: 'policy: fractional days', method: 'PUT', url: '/api/v1/settings/password-policy', body: { minimumStrength: 'good', maximumAgeDays: 1.5, expiryNoticeDays: 0, adminChangeForcesChange: false }, ...invalid },
    { name: 'policy: unknown field', method: 'PUT', url: '/api/v1/settings/password-policy', body: { minimumStrength: 'good', maximumAgeDays: 0, expiryNoticeDays: 0, adminChangeForcesChange: false, history: 5 }, ...invalid },
    { name: 'policy: body over 1 MiB', method: 'PUT', url: '/api/v1/settings/password-policy', body: { minimumStrength: HUGE }, ...bad(413, 'payload_too_large') },
    { name: 'audit: limit 500', method: 'GET', url: '/api/v1/audit-events?limit=500', ...invalid },
    { name: 'audit: forged cursor', method: 'GET', url: '/api/v1/audit-events?cursor=%5B%5D', ...invalid },
    { name: 'audit: unknown query parameter', method: 'GET', url: '/api/v1/audit-events?actor=me', ...invalid },
  ];
}

/** Every row the organization routes can write, in a stable order. */
async function snapshot(t: TestApp): Promise<unknown> {
  const db = t.ctx.db;
  return {
    organizations: await db.selectFrom('organizations').selectAll().orderBy('id').execute(),
    members: await db.selectFrom('members').selectAll().orderBy('id').execute(),
    technicianGroups: await db.selectFrom('technician_groups').selectAll().orderBy('id').execute(),
    administratorGroups: await db.selectFrom('administrator_groups').selectAll().orderBy('id').execute(),
    assignments: await db.selectFrom('administrator_assignments').selectAll().orderBy('administrator_id').orderBy('technician_group_id').execute(),
    invitations: await db.selectFrom('invitations').selectAll().orderBy('id').execute(),
    audit: await db.selectFrom('audit_events').select('id').orderBy('id').execute(),
    sessionsRevoked: await db.selectFrom('sessions').select(['id', 'revoked_at']).orderBy('id').execute(),
  };
}

for (const engine of engines()) {
  describe(`bad input to the organization routes on ${engine}`, () => {
    let t: TestApp;
    let world: World;
    let foreign: Foreign;
    let token: string;
    before(async () => {
      t = await createOrgTestApp(engine);
      world = await buildWorld(t);
      const asForeign = async (url: string, body: unknown) => (await call(t, 'POST', url, body, world.foreign.token)).json<{ id: string }>().id;
      const group = await asForeign('/api/v1/technician-groups', { name: 'Foreign group' });
      foreign = {
        group,
        adminGroup: await asForeign('/api/v1/administrator-groups', { name: 'Foreign admins' }),
        member: await asForeign('/api/v1/members', { name: 'Foreign tech', email: uniqueEmail('foreign'), technicianGroupId: group }),
      };
      const invited = uniqueEmail('invited');
      await world.asMah('POST', '/api/v1/members', { name: 'Invited', email: invited, technicianGroupId: world.groups.B });
      token = invitationToken(t, invited);
    });
    after(async () => t?.close());

    test('every case is refused with its code, never a 500, and nothing changes', async () => {
      const before = await snapshot(t);
      const failures: string[] = [];
      for (const c of cases(world, foreign, token)) {
        const response = await call(t, c.method, c.url, c.body, world.mah.token);
        const type = String(response.headers['content-type']);
        const code = type.includes('json') ? response.json<{ code?: string }>().code : undefined;
        if (response.statusCode !== c.status || code !== c.code || !type.startsWith('application/problem+json')) {
          failures.push(`${c.name}: ${response.statusCode} ${code} (${type}), expected ${c.status} ${c.code}`);
        }
      }
      assert.deepEqual(failures, []);
      assert.deepEqual(await snapshot(t), before);
    });

    test('a body that is not JSON is refused', async () => {
      const before = await snapshot(t);
      const auth = { authorization: `Bearer ${world.mah.token}` };
      const xml = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<member/>' });
      assert.equal(xml.statusCode, 415);
      assert.equal(xml.json<{ code: string }>().code, 'unsupported_media_type');
      const text = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { ...auth, 'content-type': 'text/plain' }, payload: 'name=x' });
      assert.equal(text.statusCode, 400);
      assert.equal(text.json<{ code: string }>().code, 'validation_failed');
      const broken = await t.app.inject({ method: 'POST', url: '/api/v1/members', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"name":' });
      assert.equal(broken.statusCode, 400);
      assert.equal(broken.json<{ code: string }>().code, 'validation_failed');
      assert.deepEqual(await snapshot(t), before);
    });

    // Fastify's router answers ids longer than its maxParamLength (100) itself, before the error
    // handler; `frameworkErrors` in src/http/app.ts makes that a problem+json too.
    test('an id longer than the router allows is a problem+json 4xx', async () => {
      const response = await call(t, 'GET', `/api/v1/technician-groups/${'a'.repeat(101)}`, undefined, world.mah.token);
      assert.ok(response.statusCode >= 400 && response.statusCode < 500);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    });

    test('a weak password names the rule it broke', async () => {
      const response = await call(t, 'POST', '/api/v1/members', { name: 'M', email: uniqueEmail(), technicianGroupId: world.groups.B, password: 'abcdefgh' }, world.mah.token);
      assert.equal(response.statusCode, 422);
      assert.deepEqual(
        (({ code, rule }) => ({ code, rule }))(response.json<{ code: string; rule: string }>()),
        { code: 'password_too_weak', rule: 'character_kinds' },
      );
    });
  });
}
