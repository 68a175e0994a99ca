/**
 * A small organization for the organization suites: the Master Account Holder, another master
 * administrator, groups A (with subgroup A1) and B, an administrator assigned to A, an administrator
 * who is also a technician in A1, technicians in A1 and B, an administrator group, and a second
 * organization whose Master Account Holder plays "a member of another organization".
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { call, newOrganization, PASSWORD, tokenFor, uniqueEmail, type TestApp } from './_setup.ts';

export interface Person {
  readonly id: string;
  readonly email: string;
  readonly token: string;
}

export interface World {
  readonly t: TestApp;
  readonly organizationId: string;
  readonly groups: { readonly A: string; readonly A1: string; readonly B: string };
  readonly administratorGroupId: string;
  readonly mah: Person;
  readonly master: Person;
  readonly adminA: Person;
  readonly adminTech: Person;
  readonly tech: Person;
  /** A second technician in A1: "another technician" for the technician caller. */
  readonly techA1: Person;
  readonly techB: Person;
  readonly foreign: Person;
  /** A request as the Master Account Holder, asserted to succeed. */
  asMah(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<Record<string, unknown>>;
}

export async function buildWorld(t: TestApp): Promise<World> {
  const org = await newOrganization(t, 'Acme Support');
  const mahToken = await tokenFor(t, org.email);
  const asMah = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const response: LightMyRequestResponse = await call(t, method, url, body, mahToken);
    assert.ok(response.statusCode < 300, `${method} ${url} as the holder: ${response.statusCode} ${response.body}`);
    return response.statusCode === 204 ? {} : (response.json() as Record<string, unknown>);
  };
  const group = async (name: string, parentId?: string) => (await asMah('POST', '/api/v1/technician-groups', { name, ...(parentId ? { parentId } : {}) })).id as string;
  const A = await group('A');
  const A1 = await group('A1', A);
  const B = await group('B');
  const person = async (label: string, body: Record<string, unknown>, assigned?: string[]): Promise<Person> => {
    const email = uniqueEmail(label);
    const created = await asMah('POST', '/api/v1/members', { name: label, email, password: PASSWORD, ...body });
    if (assigned) await asMah('PATCH', `/api/v1/members/${created.id as string}`, { assignedTechnicianGroupIds: assigned });
    return { id: created.id as string, email, token: await tokenFor(t, email) };
  };
  const foreignOrg = await newOrganization(t, 'Other Org');
  const administratorGroupId = (await asMah('POST', '/api/v1/administrator-groups', { name: 'Regional admins' })).id as string;
  return {
    t, organizationId: org.organizationId, groups: { A, A1, B }, administratorGroupId, asMah,
    mah: { id: org.masterId, email: org.email, token: mahToken },
    master: await person('master', { role: 'master_administrator' }),
    adminA: await person('adminA', { role: 'administrator' }, [A]),
    adminTech: await person('adminTech', { role: 'administrator', technicianGroupId: A1 }, [A]),
    tech: await person('tech', { technicianGroupId: A1 }),
    techA1: await person('techA1', { technicianGroupId: A1 }),
    techB: await person('techB', { technicianGroupId: B }),
    foreign: { id: foreignOrg.masterId, email: foreignOrg.email, token: await tokenFor(t, foreignOrg.email) },
  };
}
