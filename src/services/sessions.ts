/**
 * Sessions are issued only after every required factor (docs/security.md S21): there is no
 * "password-only" session to misuse, the sign-in transaction is the only pre-factor state.
 * Tokens are 256 random bits; only their SHA-256 is stored (docs/security.md S22).
 */
import type { Kysely } from 'kysely';
import { hashToken, newId, newToken } from '../crypto/tokens.ts';
import { prepareQuery } from '../storage/preparedQuery.ts';
import { activeInOrganizationEpoch } from '../storage/factorStates.ts';
import type { Database, SessionRow } from '../storage/schema.ts';
import type { ClientKind } from '../core/model.ts';
import { passwordExpiry } from '../core/passwordStrength.ts';
import { audit, memberEntityType } from './audit.ts';
import type { Actor, Context } from './context.ts';
import { MEMBER_PROFILE_COLUMNS, type MemberProfileRow } from './members/memberProfile.ts';
import { isTwoStepRequired } from './twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from './twoStep/organizationPolicy.ts';

export interface IssuedSession {
  readonly id: string;
  readonly token: string;
  readonly expiresAt: Date;
}

const insertSession = prepareQuery((db, p: SessionRow) => db.insertInto('sessions').values({
  id: p.id, token_hash: p.token_hash, member_id: p.member_id, organization_id: p.organization_id, client_kind: p.client_kind,
  client_version: p.client_version, ip: p.ip, created_at: p.created_at, expires_at: p.expires_at, last_seen_at: p.last_seen_at,
  reauthenticated_at: p.reauthenticated_at, password_reverified_at: p.password_reverified_at, setup_required_at: p.setup_required_at, revoked_at: p.revoked_at,
}));
const recordSignIn = prepareQuery((db, p: { id: string; now: number }) => db.updateTable('members').set({ last_sign_in_at: p.now }).where('id', '=', p.id));

/** A new session's row and what its member is given: the token, of which the row keeps only the hash. */
export function newSession(
  ctx: Context,
  member: { id: string; organization_id: string },
  client: { kind: string; version: string | null },
  ip: string | null,
  factorVerified: boolean,
): { row: SessionRow; issued: IssuedSession } {
  const now = ctx.clock().getTime();
  const token = newToken();
  const row: SessionRow = {
    id: newId(),
    token_hash: hashToken(token),
    member_id: member.id,
    organization_id: member.organization_id,
    client_kind: client.kind,
    client_version: client.version,
    ip,
    created_at: now,
    expires_at: now + ctx.settings.sessionMaxMs,
    last_seen_at: now,
    reauthenticated_at: factorVerified ? now : null,
    password_reverified_at: null,
    setup_required_at: null,
    revoked_at: null,
  };
  return { row, issued: { id: row.id, token, expiresAt: new Date(row.expires_at) } };
}

/** Creates a session; call inside the database transaction that completes the sign-in. */
export async function issueSession(
  ctx: Context,
  trx: Kysely<Database>,
  member: { id: string; organization_id: string },
  client: { kind: string; version: string | null },
  ip: string | null,
  factorVerified = false,
): Promise<IssuedSession> {
  const { row, issued } = newSession(ctx, member, client, ip, factorVerified);
  await insertSession.execute(trx, row);
  await recordSignIn.execute(trx, { id: member.id, now: row.created_at });
  return issued;
}

/**
 * A session's last use is written at most once a minute, so requests do not each cost a write. The
 * idle timeout is therefore counted from a time up to this much before the last request: a session
 * may end up to one minute before its idle time after its last request, never later.
 */
export const TOUCH_INTERVAL_MS = 60_000;

/**
 * Written only if no other request wrote it since this one read it: a burst of parallel requests on
 * one session, on one node or several, all read the old time, and only the first of them writes.
 */
const touchSession = prepareQuery((db, p: { id: string; now: number; seen: number }) => db.updateTable('sessions')
  .set({ last_seen_at: p.now }).where('id', '=', p.id).where('last_seen_at', '=', p.seen));

/** What the guard needs of a session, read with the member's profile or without. */
const SESSION_COLUMNS = [
  'sessions.id as sessionId', 'sessions.client_kind', 'sessions.client_version', 'sessions.expires_at', 'sessions.last_seen_at', 'sessions.revoked_at',
  'sessions.reauthenticated_at', 'sessions.setup_required_at',
] as const;

const sessionByToken = prepareQuery((db, p: { tokenHash: string }) => db.selectFrom('sessions')
  .innerJoin('members', 'members.id', 'sessions.member_id')
  .innerJoin('organizations', 'organizations.id', 'members.organization_id')
  .select([
    ...SESSION_COLUMNS,
    'members.id', 'members.organization_id', 'members.name', 'members.email', 'members.role',
    'members.technician_group_id', 'members.enabled', 'members.must_change_password',
    'members.password_changed_at', 'members.created_at', 'organizations.pw_maximum_age_days',
  ])
  .where('sessions.token_hash', '=', p.tokenHash));

/** The same session, with its member's profile (members/memberProfile.ts): one row per factor that counts. */
const sessionWithProfileByToken = prepareQuery((db, p: { tokenHash: string }) => db.selectFrom('sessions')
  .innerJoin('members', 'members.id', 'sessions.member_id')
  .innerJoin('organizations', 'organizations.id', 'members.organization_id')
  .leftJoin('technician_groups', 'technician_groups.id', 'members.technician_group_id')
  .leftJoin('factors', activeInOrganizationEpoch)
  .selectAll('organizations')
  .select(MEMBER_PROFILE_COLUMNS)
  .select([...SESSION_COLUMNS, 'members.enabled as member_enabled'])
  .where('sessions.token_hash', '=', p.tokenHash)
  .orderBy('factors.created_at').orderBy('factors.id'));

type SessionRead = NonNullable<Awaited<ReturnType<typeof sessionByToken.first>>>;

/**
 * The member behind a session token, or null when the token is unknown, revoked, past its absolute
 * lifetime or idle too long, or the member has been disabled since. A session that passed the
 * password alone while the member must now use two-step verification is returned marked
 * `twoStepSetupRequired`, for the guard to hold.
 */
export async function authenticateSession(ctx: Context, token: string, ip: string): Promise<Actor | null> {
  const row = await sessionByToken.first(ctx.db, { tokenHash: hashToken(token) });
  return row ? actorOfSession(ctx, row, ip) : null;
}

/**
 * {@link authenticateSession}, reading the member's profile in the same query, for a route that
 * answers with it (GET /api/v1/me): the profile is null whenever the actor is.
 */
export async function authenticateSessionWithProfile(ctx: Context, token: string, ip: string): Promise<{ actor: Actor | null; profile: MemberProfileRow[] | null }> {
  const rows = (await sessionWithProfileByToken.execute(ctx.db, { tokenHash: hashToken(token) })).rows;
  const r = rows[0];
  if (!r) return { actor: null, profile: null };
  const actor = await actorOfSession(ctx, {
    sessionId: r.sessionId, client_kind: r.client_kind, client_version: r.client_version, expires_at: r.expires_at, last_seen_at: r.last_seen_at,
    revoked_at: r.revoked_at, reauthenticated_at: r.reauthenticated_at, setup_required_at: r.setup_required_at,
    id: r.member_id, organization_id: r.id, name: r.member_name, email: r.email, role: r.role, technician_group_id: r.technician_group_id,
    enabled: r.member_enabled, must_change_password: r.must_change_password, password_changed_at: r.password_changed_at,
    created_at: r.member_created_at, pw_maximum_age_days: r.pw_maximum_age_days,
  }, ip);
  return { actor, profile: actor ? rows : null };
}

async function actorOfSession(ctx: Context, row: SessionRead, ip: string): Promise<Actor | null> {
  const now = ctx.clock().getTime();
  if (row.revoked_at !== null || row.enabled !== 1) return null;
  if (now >= row.expires_at || now - row.last_seen_at >= ctx.settings.sessionIdleMs) return null;
  // Signed in with the password alone while that was enough. Once the member must use two-step
  // verification such a session is held (docs/security.md S19: no route to it), not ended: it answers
  // `two_step_setup_required` everywhere but the start of a set-up with the password given again,
  // so the member learns why and goes on from there. Held for good once marked, even if the rule is
  // lifted again. Only these sessions pay for the check: one that verified a factor has proved it.
  let twoStepSetupRequired = false;
  if (row.reauthenticated_at === null) {
    twoStepSetupRequired = row.setup_required_at !== null
      || await isTwoStepRequired(ctx.db, row, await loadOrganizationPolicy(ctx.db, row.organization_id));
    if (twoStepSetupRequired && row.setup_required_at === null) {
      await ctx.db.updateTable('sessions').set({ setup_required_at: now }).where('id', '=', row.sessionId).where('setup_required_at', 'is', null).execute();
    }
  }
  if (now - row.last_seen_at >= TOUCH_INTERVAL_MS) {
    await touchSession.execute(ctx.db, { id: row.sessionId, now, seen: row.last_seen_at });
  }
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    email: row.email,
    role: row.role as Actor['role'],
    technicianGroupId: row.technician_group_id,
    sessionId: row.sessionId,
    mustChangePassword: row.must_change_password === 1 || passwordExpiry(
      new Date(row.password_changed_at ?? row.created_at),
      { maximumAgeDays: row.pw_maximum_age_days, expiryNoticeDays: 0 },
      new Date(now),
    ).expired,
    client: { kind: row.client_kind as ClientKind, version: row.client_version ?? undefined },
    ip,
    ...(twoStepSetupRequired ? { twoStepSetupRequired } : {}),
  };
}

/**
 * Ends the session `actor` signed in with and audits it as `SignOut`, in one database transaction.
 * Only the request that ended the session records it, so two sign-outs racing leave one event.
 */
export async function signOut(ctx: Context, actor: Actor): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const ended = await trx.updateTable('sessions').set({ revoked_at: now.getTime() })
      .where('id', '=', actor.sessionId).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(ended.numUpdatedRows) !== 1) return;
    await audit(trx, now, {
      organizationId: actor.organizationId, actor: { id: actor.id, name: actor.name, ip: actor.ip },
      entityType: memberEntityType(actor.role), entityId: actor.id, entityName: actor.name,
      changeType: 'SignOut', details: { client: actor.client.kind, clientVersion: actor.client.version ?? null },
    });
  });
}

/**
 * "Sign out everywhere": ends every session of the signed-in member, the one asking included, and
 * audits it as one `SignOut` naming how many ended, in one database transaction. The asking session
 * goes too, so whoever took a session cannot use this to shut the member out and stay in. Two at once
 * (from two of the member's sessions) end each session once; each records only what it ended.
 */
export async function signOutEverywhere(ctx: Context, actor: Actor): Promise<{ sessionsEnded: number }> {
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    const sessionsEnded = await revokeMemberSessions(trx, actor.id, now);
    if (sessionsEnded > 0) {
      await audit(trx, now, {
        organizationId: actor.organizationId, actor: { id: actor.id, name: actor.name, ip: actor.ip },
        entityType: memberEntityType(actor.role), entityId: actor.id, entityName: actor.name,
        changeType: 'SignOut', details: { everywhere: true, sessionsEnded, client: actor.client.kind, clientVersion: actor.client.version ?? null },
      });
    }
    return { sessionsEnded };
  });
}

/** Ends a member's sessions, optionally all but one; returns how many were ended. */
export async function revokeMemberSessions(
  db: Kysely<Database>, memberId: string, now: Date, exceptSessionId?: string,
): Promise<number> {
  let query = db.updateTable('sessions').set({ revoked_at: now.getTime() })
    .where('member_id', '=', memberId).where('revoked_at', 'is', null);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
