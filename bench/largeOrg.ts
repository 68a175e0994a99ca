/**
 * The large-organization figures: the demo generator's organization (100,000 members in 5,000
 * technician groups nested 8 deep by default), some of its technicians given an authenticator app so
 * they sign in with both steps, and audit events to page through. The Admin Center's requests are then
 * timed over HTTP against the real server, one at a time, as an administrator's browser sends them.
 */
import { newId } from '../src/crypto/tokens.ts';
import type { Context } from '../src/services/context.ts';
import { generateLargeOrganization } from '../src/services/demo/generateLargeOrganization.ts';
import { isTwoStepRequired } from '../src/services/twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../src/services/twoStep/organizationPolicy.ts';
import type { Db } from '../src/storage/database.ts';
import { addTotpFactors, BENCH_PASSWORD, type SeededMember } from './seed.ts';

export interface LargeOrganization {
  readonly members: number;
  readonly organizationId: string;
  readonly masterEmail: string;
  /** Technicians of groups that enforce two-step verification, each with an authenticator app. */
  readonly signIns: SeededMember[];
}

export interface Timing {
  readonly medianMs: number;
  readonly maxMs: number;
  readonly bytes: number;
}

/**
 * Generates the organization with technicians bound by their groups' setting ("Members of selected
 * Technician Group(s)", every tenth group enforcing), gives `signIns` technicians of enforcing groups an
 * authenticator app, and adds `auditEvents` audit events.
 */
export async function prepareLargeOrganization(ctx: Context, input: { members: number; groups: number; signIns: number; auditEvents: number; suffix: string }): Promise<LargeOrganization> {
  const made = await generateLargeOrganization(ctx, { members: input.members, groups: input.groups, password: BENCH_PASSWORD, suffix: input.suffix });
  await ctx.db.updateTable('organizations').set({ tsv_technicians: 'selected_groups' }).where('id', '=', made.organizationId).execute();
  // The generator puts technician n in group n % groups, and group i enforces when i % 10 === 9.
  const emails: string[] = [];
  for (let n = 0; n < made.technicians && emails.length < input.signIns; n++) {
    if ((n % Math.max(1, input.groups)) % 10 === 9) emails.push(`tech-${n + 1}.${input.suffix}@demo.twofold.test`);
  }
  const members: Array<{ id: string; email: string }> = [];
  for (let start = 0; start < emails.length; start += 500) {
    members.push(...await ctx.db.selectFrom('members').select(['id', 'email'])
      .where('organization_id', '=', made.organizationId).where('email', 'in', emails.slice(start, start + 500)).execute());
  }
  const signIns = await addTotpFactors(ctx, made.organizationId, members);
  if (input.auditEvents > 0) await seedAuditEvents(ctx.db, made.organizationId, input.auditEvents);
  return { members: input.members, organizationId: made.organizationId, masterEmail: made.masterEmail, signIns };
}

/** Audit events spread over a year, in one transaction of multi-row inserts. */
export async function seedAuditEvents(db: Db, organizationId: string, count: number): Promise<void> {
  const changes = ['Add', 'Change', 'SignIn', 'Move', 'Reset'];
  const start = Date.now() - 365 * 86_400_000;
  await db.transaction().execute(async (trx) => {
    for (let at = 0; at < count; at += 1_000) {
      await trx.insertInto('audit_events').values(Array.from({ length: Math.min(1_000, count - at) }, (_, i) => ({
        id: newId(), organization_id: organizationId, at: start + (at + i) * 150, actor_id: null, actor_name: 'System', entity_type: 'technician',
        entity_id: newId(), entity_name: `Member ${at + i}`, change_type: changes[(at + i) % changes.length]!,
        details: JSON.stringify({ before: { enabled: false }, after: { enabled: true } }), ip: null,
      }))).execute();
    }
  });
}

/**
 * How long deciding whether a member must use two-step verification takes at sign-in, the policy
 * already read (the sign-in reads it once for everything): the rule, and the member's group's setting
 * read by its primary key. The median and the 99th percentile over `samples` technicians.
 */
export async function timeMustUseDecision(ctx: Context, organizationId: string, samples: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const policy = await loadOrganizationPolicy(ctx.db, organizationId);
  const members = await ctx.db.selectFrom('members').select(['role', 'technician_group_id'])
    .where('organization_id', '=', organizationId).where('technician_group_id', 'is not', null).limit(samples).execute();
  const times: number[] = [];
  for (const member of members) {
    const started = performance.now();
    await isTwoStepRequired(ctx.db, member, policy);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: times[Math.floor(times.length / 2)] ?? 0, p99Ms: times[Math.floor(times.length * 0.99)] ?? 0 };
}

/** Signs the Master Account Holder in (with the password: the generated organization asks no more of them). */
export async function masterSession(base: string, org: LargeOrganization): Promise<string> {
  const answer = await fetch(`${base}/api/v1/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: org.masterEmail, password: BENCH_PASSWORD, client: { kind: 'technician-console' } }),
  });
  const body = await answer.json() as { session?: { token: string } };
  if (!body.session) throw new Error(`the master administrator could not sign in: ${JSON.stringify(body)}`);
  return body.session.token;
}

/** Sends one request `runs` times, one after another, reading each answer to its last byte. */
export async function timeRequest(base: string, token: string, runs: number, request: { method?: 'GET' | 'POST' | 'PUT'; path: string; body?: (run: number) => unknown }): Promise<Timing> {
  const times: number[] = [];
  let bytes = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const answer = await fetch(`${base}${request.path}`, {
      method: request.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(request.body ? { 'content-type': 'application/json' } : {}) },
      ...(request.body ? { body: JSON.stringify(request.body(run)) } : {}),
    });
    const payload = await answer.arrayBuffer();
    times.push(performance.now() - started);
    if (answer.status !== 200) throw new Error(`${request.method ?? 'GET'} ${request.path}: ${answer.status} ${Buffer.from(payload).toString('utf8').slice(0, 300)}`);
    bytes = payload.byteLength;
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)]!, maxMs: times.at(-1)!, bytes };
}

/** The Global Settings body with a new primary method at each run: every save resets everyone. */
export function settingsWithNewPrimary(current: { masterAdministrators: boolean; administrators: boolean; technicians: string }): (run: number) => unknown {
  return (run) => ({
    masterAdministrators: current.masterAdministrators, administrators: current.administrators, technicians: current.technicians,
    primaryMethod: run % 2 === 0 ? 'email' : 'totp', allowedMethods: ['totp', 'sms', 'email'],
  });
}

/** The Admin Center's pages and reports on the large organization (GET requests, in order). */
export async function timeAdminPages(base: string, token: string, runs: number): Promise<Record<string, Timing>> {
  const get = async <T>(path: string): Promise<T> => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<T>;
  const root = await get<{ items: Array<{ id: string }> }>('/api/v1/tree/groups');
  const members = await get<{ nextCursor: string | null }>('/api/v1/members?limit=50');
  const audit = await get<{ nextCursor: string | null }>('/api/v1/audit-events?limit=50');
  const pages: Array<[string, string]> = [
    ['tree: the root page', '/api/v1/tree/groups'],
    ['tree: a branch with its counts', `/api/v1/tree/groups?parentId=${root.items[0]!.id}`],
    ['members: first page of 50', '/api/v1/members?limit=50'],
    ['members: a later page of 50', `/api/v1/members?limit=50&cursor=${members.nextCursor ?? ''}`],
    ['audit: first page of 50', '/api/v1/audit-events?limit=50'],
    ['audit: a later page of 50', `/api/v1/audit-events?limit=50&cursor=${audit.nextCursor ?? ''}`],
    ['two-step status report: a page of 50', '/api/v1/reports/two-step-verification/members?limit=50'],
  ];
  const timings: Record<string, Timing> = {};
  for (const [name, path] of pages) timings[name] = await timeRequest(base, token, runs, { path });
  return timings;
}
