// Threat: a caller doing what their role does not allow — an administrator reaching outside the
// groups assigned to them, a technician managing others, anyone taking over the Master Account
// Holder's account, a member of another organization touching this one, or a signed-out caller
// doing anything. Every organization operation × every kind of caller, with the exact status of
// each cell, on SQLite and on PostgreSQL.
//
// Reading the table: 404 where the caller cannot see the id (unknown, foreign, or outside an
// administrator's groups), 403 where they can see it but may not act, 409 for the Master Account
// Holder's protections and other conflicts. Operations that name no id of this organization (a
// listing, a new root group) let the foreign caller act in their own organization, as they should.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createOrgTestApp, engines, invitationToken, PASSWORD, uniqueEmail, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

const CALLERS = ['mah', 'master', 'adminA', 'adminTech', 'tech', 'foreign', 'anon'] as const;
type Caller = (typeof CALLERS)[number];
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface Request { method: Method; url: string; body?: unknown }
interface Operation {
  readonly name: string;
  /** Statuses for: mah, master, adminA, adminTech, tech, foreign, anon. */
  readonly expect: readonly [number, number, number, number, number, number, number];
  request(w: World, caller: Caller): Request | Promise<Request>;
  /** Puts the world back after each cell, so every cell meets the same world. */
  restore?(w: World, status: number): Promise<void>;
}

const self = (w: World, caller: Caller): string => (caller === 'anon' ? w.mah.id : w[caller].id);
const freshGroup = async (w: World, parentId: string): Promise<string> =>
  (await w.asMah('POST', '/api/v1/technician-groups', { name: `Fresh ${uniqueEmail('g')}`, parentId })).id as string;
const freshMember = async (w: World, body: object): Promise<string> =>
  (await w.asMah('POST', '/api/v1/members', { name: 'Fresh', email: uniqueEmail('fresh'), password: PASSWORD, ...body })).id as string;
const importJson = (rows: object[]) => ({ format: 'json', content: JSON.stringify(rows) });

const OPERATIONS: Operation[] = [
  // Technician groups
  { name: 'list technician groups', expect: [200, 200, 200, 200, 403, 200, 401], request: () => ({ method: 'GET', url: '/api/v1/technician-groups' }) },
  { name: 'create a group below A1', expect: [201, 201, 201, 201, 403, 404, 401], request: (w) => ({ method: 'POST', url: '/api/v1/technician-groups', body: { name: uniqueEmail('New'), parentId: w.groups.A1 } }) },
  { name: 'create a group below B', expect: [201, 201, 404, 404, 403, 404, 401], request: (w) => ({ method: 'POST', url: '/api/v1/technician-groups', body: { name: uniqueEmail('New'), parentId: w.groups.B } }) },
  { name: 'create a root group', expect: [201, 201, 403, 403, 403, 201, 401], request: () => ({ method: 'POST', url: '/api/v1/technician-groups', body: { name: uniqueEmail('New root') } }) },
  { name: 'read group A (assigned)', expect: [200, 200, 200, 200, 404, 404, 401], request: (w) => ({ method: 'GET', url: `/api/v1/technician-groups/${w.groups.A}` }) },
  { name: 'read group A1 (subgroup)', expect: [200, 200, 200, 200, 404, 404, 401], request: (w) => ({ method: 'GET', url: `/api/v1/technician-groups/${w.groups.A1}` }) },
  { name: 'read group B (unassigned)', expect: [200, 200, 404, 404, 404, 404, 401], request: (w) => ({ method: 'GET', url: `/api/v1/technician-groups/${w.groups.B}` }) },
  {
    name: 'enforce two-step verification on A1', expect: [200, 200, 200, 200, 404, 404, 401],
    request: (w) => ({ method: 'PATCH', url: `/api/v1/technician-groups/${w.groups.A1}`, body: { enforceTwoStepVerification: true } }),
    restore: async (w) => { await w.asMah('PATCH', `/api/v1/technician-groups/${w.groups.A1}`, { enforceTwoStepVerification: false }); },
  },
  { name: 'rename group B', expect: [200, 200, 404, 404, 404, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/technician-groups/${w.groups.B}`, body: { name: 'B' } }) },
  { name: 'move a subgroup of A1 to A', expect: [200, 200, 200, 200, 404, 404, 401], request: async (w) => ({ method: 'PATCH', url: `/api/v1/technician-groups/${await freshGroup(w, w.groups.A1)}`, body: { parentId: w.groups.A } }) },
  { name: 'move a subgroup of B to A1', expect: [200, 200, 404, 404, 404, 404, 401], request: async (w) => ({ method: 'PATCH', url: `/api/v1/technician-groups/${await freshGroup(w, w.groups.B)}`, body: { parentId: w.groups.A1 } }) },
  { name: 'move a subgroup of A1 to B', expect: [200, 200, 404, 404, 404, 404, 401], request: async (w) => ({ method: 'PATCH', url: `/api/v1/technician-groups/${await freshGroup(w, w.groups.A1)}`, body: { parentId: w.groups.B } }) },
  { name: 'move A below its own subgroup', expect: [409, 409, 403, 403, 404, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/technician-groups/${w.groups.A}`, body: { parentId: w.groups.A1 } }) },
  { name: 'delete an empty subgroup of A1', expect: [204, 204, 204, 204, 404, 404, 401], request: async (w) => ({ method: 'DELETE', url: `/api/v1/technician-groups/${await freshGroup(w, w.groups.A1)}` }) },
  { name: 'delete an empty subgroup of B', expect: [204, 204, 404, 404, 404, 404, 401], request: async (w) => ({ method: 'DELETE', url: `/api/v1/technician-groups/${await freshGroup(w, w.groups.B)}` }) },
  { name: 'delete group A (not empty)', expect: [409, 409, 403, 403, 404, 404, 401], request: (w) => ({ method: 'DELETE', url: `/api/v1/technician-groups/${w.groups.A}` }) },

  // Administrator groups
  { name: 'list administrator groups', expect: [200, 200, 403, 403, 403, 200, 401], request: () => ({ method: 'GET', url: '/api/v1/administrator-groups' }) },
  { name: 'create an administrator group', expect: [201, 201, 403, 403, 403, 201, 401], request: () => ({ method: 'POST', url: '/api/v1/administrator-groups', body: { name: 'Admins' } }) },
  { name: 'read an administrator group', expect: [200, 200, 403, 403, 403, 404, 401], request: (w) => ({ method: 'GET', url: `/api/v1/administrator-groups/${w.administratorGroupId}` }) },
  { name: 'rename an administrator group', expect: [200, 200, 403, 403, 403, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/administrator-groups/${w.administratorGroupId}`, body: { name: 'Regional admins' } }) },
  {
    name: 'delete an empty administrator group', expect: [204, 204, 403, 403, 403, 404, 401],
    request: async (w) => ({ method: 'DELETE', url: `/api/v1/administrator-groups/${(await w.asMah('POST', '/api/v1/administrator-groups', { name: 'Temp' })).id as string}` }),
  },

  // Members: adding and reading
  { name: 'list members', expect: [200, 200, 200, 200, 200, 200, 401], request: () => ({ method: 'GET', url: '/api/v1/members' }) },
  { name: 'add a technician to A1', expect: [201, 201, 201, 201, 403, 404, 401], request: (w) => ({ method: 'POST', url: '/api/v1/members', body: { name: 'New', email: uniqueEmail('new'), technicianGroupId: w.groups.A1 } }) },
  { name: 'add a technician to B', expect: [201, 201, 404, 404, 403, 404, 401], request: (w) => ({ method: 'POST', url: '/api/v1/members', body: { name: 'New', email: uniqueEmail('new'), technicianGroupId: w.groups.B } }) },
  { name: 'add an administrator', expect: [201, 201, 403, 403, 403, 201, 401], request: () => ({ method: 'POST', url: '/api/v1/members', body: { name: 'New', email: uniqueEmail('new'), role: 'administrator' } }) },
  { name: 'add a master administrator', expect: [201, 201, 403, 403, 403, 201, 401], request: () => ({ method: 'POST', url: '/api/v1/members', body: { name: 'New', email: uniqueEmail('new'), role: 'master_administrator' } }) },
  { name: 'read a technician in A1', expect: [200, 200, 200, 200, 404, 404, 401], request: (w) => ({ method: 'GET', url: `/api/v1/members/${w.techA1.id}` }) },
  { name: 'read a technician in B', expect: [200, 200, 404, 404, 404, 404, 401], request: (w) => ({ method: 'GET', url: `/api/v1/members/${w.techB.id}` }) },
  { name: 'read oneself', expect: [200, 200, 200, 200, 200, 200, 401], request: (w, c) => ({ method: 'GET', url: `/api/v1/members/${self(w, c)}` }) },
  { name: 'read the administrator who is a technician in A1', expect: [200, 200, 200, 200, 404, 404, 401], request: (w) => ({ method: 'GET', url: `/api/v1/members/${w.adminTech.id}` }) },
  { name: 'read the Master Account Holder', expect: [200, 200, 404, 404, 404, 404, 401], request: (w) => ({ method: 'GET', url: `/api/v1/members/${w.mah.id}` }) },

  // Members: editing
  { name: 'rename a technician in A1', expect: [200, 200, 200, 200, 404, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.techA1.id}`, body: { name: uniqueEmail('name') } }) },
  { name: 'rename a technician in B', expect: [200, 200, 404, 404, 404, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { name: uniqueEmail('name') } }) },
  { name: 'rename oneself', expect: [200, 200, 200, 200, 200, 200, 401], request: (w, c) => ({ method: 'PATCH', url: `/api/v1/members/${self(w, c)}`, body: { name: uniqueEmail('name') } }) },
  { name: 'change one\'s own email', expect: [200, 200, 403, 403, 403, 200, 401], request: (w, c) => ({ method: 'PATCH', url: `/api/v1/members/${self(w, c)}`, body: { email: uniqueEmail('self') } }) },
  { name: 'set one\'s own password (the password-change flow is the way)', expect: [403, 403, 403, 403, 403, 403, 401], request: (w, c) => ({ method: 'PATCH', url: `/api/v1/members/${self(w, c)}`, body: { password: 'Another-Pass-7' } }) },
  { name: 'rename the administrator who is a technician in A1', expect: [200, 200, 403, 200, 404, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.adminTech.id}`, body: { name: uniqueEmail('name') } }) },
  { name: 'rename the Master Account Holder', expect: [200, 409, 404, 404, 404, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.mah.id}`, body: { name: uniqueEmail('name') } }) },
  { name: 'set the password of a technician in A1', expect: [200, 200, 200, 200, 404, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.techA1.id}`, body: { password: PASSWORD } }) },
  {
    name: 'disable a technician in A1', expect: [200, 200, 200, 200, 404, 404, 401],
    request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.techA1.id}`, body: { enabled: false } }),
    restore: async (w) => { await w.asMah('PATCH', `/api/v1/members/${w.techA1.id}`, { enabled: true }); },
  },
  {
    name: 'disable a technician in B', expect: [200, 200, 404, 404, 404, 404, 401],
    request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.techB.id}`, body: { enabled: false } }),
    restore: async (w) => { await w.asMah('PATCH', `/api/v1/members/${w.techB.id}`, { enabled: true }); },
  },
  { name: 'disable the Master Account Holder', expect: [403, 409, 404, 404, 404, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.mah.id}`, body: { enabled: false } }) },
  { name: 'demote the Master Account Holder', expect: [409, 409, 404, 404, 404, 404, 401], request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.mah.id}`, body: { role: 'administrator' } }) },
  { name: 'disable oneself', expect: [403, 403, 403, 403, 403, 403, 401], request: (w, c) => ({ method: 'PATCH', url: `/api/v1/members/${self(w, c)}`, body: { enabled: false } }) },
  {
    name: 'move a technician from A1 to A', expect: [200, 200, 200, 200, 404, 404, 401],
    request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.techA1.id}`, body: { technicianGroupId: w.groups.A } }),
    restore: async (w) => { await w.asMah('PATCH', `/api/v1/members/${w.techA1.id}`, { technicianGroupId: w.groups.A1 }); },
  },
  {
    name: 'move a technician from A1 to B', expect: [200, 200, 404, 404, 404, 404, 401],
    request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.techA1.id}`, body: { technicianGroupId: w.groups.B } }),
    restore: async (w) => { await w.asMah('PATCH', `/api/v1/members/${w.techA1.id}`, { technicianGroupId: w.groups.A1 }); },
  },
  {
    name: 'make a technician in A1 an administrator', expect: [200, 200, 403, 403, 404, 404, 401],
    request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.techA1.id}`, body: { role: 'administrator' } }),
    restore: async (w) => { await w.asMah('PATCH', `/api/v1/members/${w.techA1.id}`, { role: null }); },
  },
  {
    name: 'assign technician groups to an administrator', expect: [200, 200, 403, 404, 404, 404, 401],
    request: (w) => ({ method: 'PATCH', url: `/api/v1/members/${w.adminA.id}`, body: { assignedTechnicianGroupIds: [w.groups.A, w.groups.B] } }),
    restore: async (w) => { await w.asMah('PATCH', `/api/v1/members/${w.adminA.id}`, { assignedTechnicianGroupIds: [w.groups.A] }); },
  },
  { name: 'reset the two-step verification of a technician in A1', expect: [200, 200, 200, 200, 404, 404, 401], request: (w) => ({ method: 'POST', url: '/api/v1/two-step-verification/resets', body: { memberIds: [w.techA1.id] } }) },
  { name: 'reset the two-step verification of a technician in B', expect: [200, 200, 404, 404, 404, 404, 401], request: (w) => ({ method: 'POST', url: '/api/v1/two-step-verification/resets', body: { memberIds: [w.techB.id] } }) },

  // Members: deleting (each cell deletes a member made for it)
  { name: 'delete a technician in A1', expect: [204, 204, 204, 204, 404, 404, 401], request: async (w) => ({ method: 'DELETE', url: `/api/v1/members/${await freshMember(w, { technicianGroupId: w.groups.A1 })}` }) },
  { name: 'delete a technician in B', expect: [204, 204, 404, 404, 404, 404, 401], request: async (w) => ({ method: 'DELETE', url: `/api/v1/members/${await freshMember(w, { technicianGroupId: w.groups.B })}` }) },
  { name: 'delete an administrator who is a technician in A1', expect: [204, 204, 403, 403, 404, 404, 401], request: async (w) => ({ method: 'DELETE', url: `/api/v1/members/${await freshMember(w, { role: 'administrator', technicianGroupId: w.groups.A1 })}` }) },
  { name: 'delete a master administrator', expect: [204, 204, 404, 404, 404, 404, 401], request: async (w) => ({ method: 'DELETE', url: `/api/v1/members/${await freshMember(w, { role: 'master_administrator' })}` }) },
  { name: 'delete the Master Account Holder', expect: [403, 409, 404, 404, 404, 404, 401], request: (w) => ({ method: 'DELETE', url: `/api/v1/members/${w.mah.id}` }) },
  { name: 'delete oneself', expect: [403, 403, 403, 403, 403, 403, 401], request: (w, c) => ({ method: 'DELETE', url: `/api/v1/members/${self(w, c)}` }) },

  // Bulk import
  { name: 'import a technician into A1', expect: [201, 201, 201, 201, 403, 422, 401], request: (w) => ({ method: 'POST', url: '/api/v1/members/import', body: importJson([{ name: 'Imported', email: uniqueEmail('imp'), technicianGroup: w.groups.A1 }]) }) },
  { name: 'import a technician into B', expect: [201, 201, 422, 422, 403, 422, 401], request: (w) => ({ method: 'POST', url: '/api/v1/members/import', body: importJson([{ name: 'Imported', email: uniqueEmail('imp'), technicianGroup: w.groups.B }]) }) },
  { name: 'import an administrator', expect: [201, 201, 422, 422, 403, 201, 401], request: () => ({ method: 'POST', url: '/api/v1/members/import', body: importJson([{ name: 'Imported', email: uniqueEmail('imp'), role: 'administrator' }]) }) },

  // The organization, Global Settings, the audit trail
  { name: 'read the organization', expect: [200, 200, 200, 200, 200, 200, 401], request: () => ({ method: 'GET', url: '/api/v1/organization' }) },
  {
    name: 'hand the Master Account Holder role on', expect: [200, 403, 403, 403, 403, 404, 401],
    request: (w) => ({ method: 'POST', url: '/api/v1/organization/master-account-holder', body: { memberId: w.master.id } }),
    restore: async (w, status) => {
      if (status !== 200) return;
      const back = await call(w.t, 'POST', '/api/v1/organization/master-account-holder', { memberId: w.mah.id }, w.master.token);
      assert.equal(back.statusCode, 200, back.body);
    },
  },
  { name: 'read the password policy', expect: [200, 200, 403, 403, 403, 200, 401], request: () => ({ method: 'GET', url: '/api/v1/settings/password-policy' }) },
  {
    name: 'save the password policy', expect: [200, 200, 403, 403, 403, 200, 401],
    request: () => ({ method: 'PUT', url: '/api/v1/settings/password-policy', body: { minimumStrength: 'good', maximumAgeDays: 0, expiryNoticeDays: 14, adminChangeForcesChange: false } }),
  },
  { name: 'read the organization settings', expect: [200, 200, 403, 403, 403, 200, 401], request: () => ({ method: 'GET', url: '/api/v1/organization/settings' }) },
  { name: 'change the organization settings', expect: [200, 200, 403, 403, 403, 200, 401], request: () => ({ method: 'PATCH', url: '/api/v1/organization/settings', body: { auditRetentionDays: 365 } }) },
  { name: 'read the audit trail', expect: [200, 200, 403, 403, 403, 200, 401], request: () => ({ method: 'GET', url: '/api/v1/audit-events' }) },

  // Invitations: the token is the capability, whoever holds it
  { name: 'open an invitation', expect: [200, 200, 200, 200, 200, 200, 200], request: async (w) => ({ method: 'GET', url: `/api/v1/invitations/${await invite(w)}` }) },
  { name: 'accept an invitation', expect: [204, 204, 204, 204, 204, 204, 204], request: async (w) => ({ method: 'POST', url: `/api/v1/invitations/${await invite(w)}/accept`, body: { password: PASSWORD } }) },
];

async function invite(w: World): Promise<string> {
  const email = uniqueEmail('invited');
  await w.asMah('POST', '/api/v1/members', { name: 'Invited', email, technicianGroupId: w.groups.B });
  return invitationToken(w.t, email);
}

for (const engine of engines()) {
  describe(`the permission matrix on ${engine}`, () => {
    let t: TestApp;
    let world: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      world = await buildWorld(t);
    });
    after(async () => t?.close());

    for (const operation of OPERATIONS) {
      test(operation.name, async () => {
        const actual: Partial<Record<Caller, number>> = {};
        const expected: Partial<Record<Caller, number>> = {};
        for (const [index, caller] of CALLERS.entries()) {
          const { method, url, body } = await operation.request(world, caller);
          const token = caller === 'anon' ? undefined : world[caller].token;
          const response = await call(t, method, url, body, token);
          actual[caller] = response.statusCode;
          expected[caller] = operation.expect[index]!;
          if (response.statusCode >= 400) {
            assert.match(String(response.headers['content-type']), /application\/problem\+json/, `${caller}: ${response.body}`);
            assert.equal(typeof response.json<{ code: unknown }>().code, 'string');
          }
          await operation.restore?.(world, response.statusCode);
        }
        assert.deepEqual(actual, expected);
      });
    }
  });
}
