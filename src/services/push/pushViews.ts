/**
 * What each side reads of a push request. The authenticator gets the context (who, which
 * organization, which client, address, time) but never the number, which the member must carry over
 * from the sign-in screen; the sign-in side gets the number and the state.
 */
import type { Db } from '../../storage/database.ts';
import type { PushRequestRow } from '../../storage/schema.ts';
import type { Context } from '../context.ts';
import { effectiveState } from './pushAvailability.ts';

/** What approving a request does, as the authenticator names it (`action` in the API). */
export const PUSH_ACTIONS = ['sign_in', 'password_change', 'password_reset', 'confirm_identity', 'pairing'] as const;
export type PushAction = typeof PUSH_ACTIONS[number];

/**
 * A request's action from its row. Verifying again on the account ("Confirm it's you", before a
 * method or the recovery codes change) is stored with purpose `sign_in` for the authenticators that
 * know only `purpose`, but is scoped to the member's session (`session:<id>`,
 * myFactors/reauthenticate.ts) where a sign-in is scoped to its transaction. A forgotten password's
 * reset is a `password_change` transaction too, told apart by the reset link it spends: the member
 * who did not ask for a reset should read that someone is resetting their password.
 */
export function pushActionOf(row: { readonly purpose: string; readonly scope: string; readonly resetsPassword: boolean }): PushAction {
  if (row.purpose === 'password_change') return row.resetsPassword ? 'password_reset' : 'password_change';
  if (row.purpose === 'pairing') return row.purpose;
  return row.scope.startsWith('session:') ? 'confirm_identity' : 'sign_in';
}

export interface PushRequestContext {
  readonly id: string;
  readonly purpose: string;
  readonly action: PushAction;
  readonly deviceId: string;
  readonly organizationName: string;
  readonly memberName: string;
  readonly memberEmail: string;
  readonly client: { readonly kind: string; readonly version: string | null };
  readonly ip: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly numberDigits: number;
}

/** The device's pending requests (not past their expiry), oldest first, as the authenticator shows them. */
export async function pendingRequestsOf(db: Db, factorId: string, now: Date): Promise<PushRequestContext[]> {
  const rows = await db.selectFrom('push_requests')
    .innerJoin('members', 'members.id', 'push_requests.member_id')
    .innerJoin('organizations', 'organizations.id', 'push_requests.organization_id')
    // A request of a transaction is scoped to its id; one of a session (verifying again) matches none.
    .leftJoin('transactions', 'transactions.id', 'push_requests.scope')
    .select([
      'push_requests.id', 'push_requests.purpose', 'push_requests.scope', 'push_requests.factor_id', 'push_requests.client_kind', 'push_requests.client_version',
      'push_requests.ip', 'push_requests.created_at', 'push_requests.expires_at', 'push_requests.number_digits',
      'members.name as member_name', 'members.email as member_email', 'organizations.name as organization_name',
      'transactions.password_reset_hash',
    ])
    .where('push_requests.factor_id', '=', factorId).where('push_requests.state', '=', 'pending')
    .where('push_requests.expires_at', '>', now.getTime())
    .orderBy('push_requests.created_at').execute();
  return rows.map((r) => ({
    id: r.id, purpose: r.purpose, action: pushActionOf({ ...r, resetsPassword: r.password_reset_hash !== null }), deviceId: r.factor_id, organizationName: r.organization_name,
    memberName: r.member_name, memberEmail: r.member_email,
    client: { kind: r.client_kind, version: r.client_version }, ip: r.ip,
    createdAt: new Date(r.created_at).toISOString(), expiresAt: new Date(r.expires_at).toISOString(),
    numberDigits: r.number_digits,
  }));
}

export interface PushRequestStatus {
  readonly id: string;
  readonly factorId: string;
  readonly purpose: string;
  readonly number: string;
  readonly state: string;
  readonly expiresAt: string;
}

/** The sign-in side's view of `row` at `now`: the number to show and how the request stands. */
export function statusOf(ctx: Context, row: PushRequestRow, now: Date): PushRequestStatus {
  const number = ctx.secretBox.open(row.number_sealed, row.id).toString('utf8');
  return {
    id: row.id, factorId: row.factor_id, purpose: row.purpose, number,
    state: effectiveState(row, now.getTime()), expiresAt: new Date(row.expires_at).toISOString(),
  };
}

/** The latest push request of a transaction or set-up `scope`, or undefined. */
export async function latestInScope(db: Db, scope: string): Promise<PushRequestRow | undefined> {
  return db.selectFrom('push_requests').selectAll().where('scope', '=', scope)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}
