/**
 * Organization fixtures for the two-step verification suite: technician groups and members written
 * straight to the store, Global Settings through the API, and small assertion helpers. The member
 * and group routes (POST /api/v1/members, /technician-groups, PATCH …) were not registered in
 * src/http/routes/index.ts when this suite was written; once they are, addMember, addGroup,
 * assignGroup and setMemberEnabled can call them instead (they are not what this suite checks).
 */
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../src/crypto/passwords.ts';
import { hashToken, newId } from '../../src/crypto/tokens.ts';
import { PASSWORD, call, newOrganization, tokenFor, uniqueEmail, type Organization, type TestApp } from '../support/harness.ts';
import { enrolTotp, type EnrolledTotp } from './_factors.ts';

export type Method = 'push' | 'totp' | 'sms' | 'email';
export interface SettingsBody {
  masterAdministrators: boolean;
  administrators: boolean;
  technicians: 'none' | 'all' | 'selected_groups';
  primaryMethod: Method;
  allowedMethods: Method[];
}

/** What a new organization starts with (docs/two-step-verification.md "Global Settings → Two-step verification"). */
export const DEFAULT_SETTINGS: SettingsBody = {
  masterAdministrators: false, administrators: false, technicians: 'none', primaryMethod: 'totp', allowedMethods: ['totp', 'sms', 'email'],
};

export const SETTINGS_URL = '/api/v1/settings/two-step-verification';

/** Saves Global Settings → Two-step verification as `token` and asserts it worked. */
export async function saveSettings(t: TestApp, token: string, changes: Partial<SettingsBody>): Promise<{ settings: SettingsBody; membersReset: number }> {
  const response = await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, ...changes }, token);
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as { settings: SettingsBody; membersReset: number };
}

export interface OrgWithAdmin extends Organization {
  /** A session of the Master Account Holder, taken before anything was enforced ({@link verifiedSessionToken}). */
  readonly masterToken: string;
}

/**
 * A session of `email` marked as having verified a second factor, so it outlives settings that make
 * the member use two-step verification (a session that passed the password alone then ends). It stands
 * for an administrator's fully verified session where their own second factor is not what a test is
 * about. Marked long ago: it counts as verified, not as a recent verification (those last ten minutes).
 */
export async function verifiedSessionToken(t: TestApp, email: string): Promise<string> {
  const token = await tokenFor(t, email);
  await t.ctx.db.updateTable('sessions').set({ reauthenticated_at: 0 }).where('token_hash', '=', hashToken(token)).execute();
  return token;
}

/** A new organization, its master's session, and the given settings saved. */
export async function organizationWith(t: TestApp, changes: Partial<SettingsBody> = {}, name?: string): Promise<OrgWithAdmin> {
  const org = await newOrganization(t, name);
  const masterToken = await verifiedSessionToken(t, org.email);
  if (Object.keys(changes).length > 0) await saveSettings(t, masterToken, changes);
  return { ...org, masterToken };
}

let passwordHash: Promise<string> | undefined;

export interface MemberFixture {
  readonly id: string;
  readonly email: string;
  readonly password: string;
}

export interface MemberOptions {
  readonly role?: 'master_administrator' | 'administrator' | null;
  readonly technicianGroupId?: string | null;
  readonly enabled?: boolean;
  readonly label?: string;
}

/** A member who signs in with {@link PASSWORD}. */
export async function addMember(t: TestApp, org: Organization, options: MemberOptions = {}): Promise<MemberFixture> {
  passwordHash ??= hashPassword(PASSWORD);
  const now = t.clock.now().getTime();
  const member = { id: newId(), email: uniqueEmail(options.label ?? 'member') };
  await t.ctx.db.insertInto('members').values({
    id: member.id, organization_id: org.organizationId, email: member.email, name: `Member ${member.email.split('@')[0]}`,
    role: options.role ?? null, administrator_group_id: null, technician_group_id: options.technicianGroupId ?? null,
    enabled: options.enabled === false ? 0 : 1, password_hash: await passwordHash, password_changed_at: now,
    must_change_password: 0, created_at: now, last_sign_in_at: null,
  }).execute();
  return { ...member, password: PASSWORD };
}

/** A technician group with the given "Enforce two-step verification", named by its id's random end (siblings need different names). */
export async function addGroup(t: TestApp, org: Organization, enforce = false, parentId: string | null = null): Promise<string> {
  const id = newId();
  await t.ctx.db.insertInto('technician_groups').values({
    id, organization_id: org.organizationId, parent_id: parentId, name: `Group ${id.slice(-12)}`, description: '',
    enforce_two_step: enforce ? 1 : 0, created_at: t.clock.now().getTime(),
  }).execute();
  return id;
}

/** Assigns a technician group to an administrator (they manage it and its subgroups). */
/** A technician in an organization that requires two-step verification of all technicians. */
export async function requiredTechnician(t: TestApp): Promise<{ org: OrgWithAdmin; member: MemberFixture }> {
  const org = await organizationWith(t, { technicians: 'all' });
  return { org, member: await addMember(t, org, { technicianGroupId: await addGroup(t, org) }) };
}

/** A technician who must use two-step verification (every technician must), with an authenticator app set up. */
export async function technicianWithTotp(t: TestApp): Promise<{ org: OrgWithAdmin; member: MemberFixture; totp: EnrolledTotp }> {
  const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'totp' });
  const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
  return { org, member, totp: await enrolTotp(t, member.email) };
}

export async function assignGroup(t: TestApp, administratorId: string, groupId: string): Promise<void> {
  await t.ctx.db.insertInto('administrator_assignments').values({ administrator_id: administratorId, technician_group_id: groupId }).execute();
}

export async function setMemberEnabled(t: TestApp, memberId: string, enabled: boolean): Promise<void> {
  await t.ctx.db.updateTable('members').set({ enabled: enabled ? 1 : 0 }).where('id', '=', memberId).execute();
}

/** Asserts an RFC 9457 problem with this status and `code`, and returns its body. */
export function expectProblem(response: LightMyRequestResponse, status: number, code: string): Record<string, unknown> {
  assert.equal(response.statusCode, status, `expected ${status} ${code}, got ${response.statusCode}: ${response.body}`);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = response.json() as Record<string, unknown>;
  assert.equal(body.code, code);
  return body;
}

/** A JSON request from a given client IP (rate limits per IP read the socket address). */
export function callFrom(
  t: TestApp, ip: string, method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method, url, remoteAddress: ip,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

/** Counts of each problem `code` (or `ok` for a 2xx) among responses. */
export function codeCounts(responses: readonly LightMyRequestResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of responses) {
    const key = r.statusCode < 300 ? 'ok' : String((r.json() as { code?: string }).code);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The stored row of a factor. */
export async function factorRow(t: TestApp, factorId: string) {
  return t.ctx.db.selectFrom('factors').selectAll().where('id', '=', factorId).executeTakeFirstOrThrow();
}

/** The stored failures of the transaction behind a client's id. */
export async function transactionFailures(t: TestApp, transactionId: string): Promise<number> {
  const row = await t.ctx.db.selectFrom('transactions').select('failures').where('id', '=', hashToken(transactionId)).executeTakeFirstOrThrow();
  return row.failures;
}

/** Messages sent so far to one address or number. */
export const sentTo = (t: TestApp, to: string) => t.outbox.filter((m) => m.to === to);
