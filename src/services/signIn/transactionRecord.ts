/**
 * Storage of sign-in transactions. The id the client holds is a 256-bit capability; only its SHA-256
 * is stored. A website transaction is also bound to its browser by a second secret in an HttpOnly
 * cookie, so a leaked id alone cannot be used from elsewhere.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { ClientInfo, TransactionPurpose, TransactionState } from '../../core/model.ts';
import { transactionExpiresAt, type TransactionSnapshot } from '../../core/signInTransaction.ts';
import { hashToken, newToken, safeEqual } from '../../crypto/tokens.ts';
import type { Db } from '../../storage/database.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { TransactionRow } from '../../storage/schema.ts';

export interface NewTransaction {
  readonly memberId: string;
  readonly organizationId: string;
  readonly purpose: TransactionPurpose;
  readonly state: TransactionState;
  readonly client: ClientInfo;
  readonly epoch: number;
  readonly ip: string | null;
  readonly newPasswordHash?: string | null;
  readonly endOtherSessions?: boolean;
  readonly originSessionId?: string | null;
}

export interface CreatedTransaction {
  /** The capability the client holds. */
  readonly id: string;
  /** The browser-binding secret for a website transaction's cookie, else null. */
  readonly binding: string | null;
  readonly row: TransactionRow;
}

const insertRow = prepareQuery((db, p: TransactionRow) => db.insertInto('transactions').values({
  id: p.id, organization_id: p.organization_id, member_id: p.member_id, purpose: p.purpose, state: p.state, client_kind: p.client_kind,
  client_version: p.client_version, browser_binding_hash: p.browser_binding_hash, failures: p.failures, epoch: p.epoch,
  new_password_hash: p.new_password_hash, end_other_sessions: p.end_other_sessions, origin_session_id: p.origin_session_id, ip: p.ip,
  created_at: p.created_at, expires_at: p.expires_at, completed_at: p.completed_at,
}));

export async function insertTransaction(db: Db, now: Date, input: NewTransaction): Promise<CreatedTransaction> {
  const id = newToken();
  const binding = input.client.kind === 'website' ? newToken() : null;
  const row: TransactionRow = {
    id: hashToken(id),
    organization_id: input.organizationId,
    member_id: input.memberId,
    purpose: input.purpose,
    state: input.state,
    client_kind: input.client.kind,
    client_version: input.client.version ?? null,
    browser_binding_hash: binding ? hashToken(binding) : null,
    failures: 0,
    epoch: input.epoch,
    new_password_hash: input.newPasswordHash ?? null,
    end_other_sessions: input.endOtherSessions ? 1 : 0,
    origin_session_id: input.originSessionId ?? null,
    ip: input.ip,
    created_at: now.getTime(),
    expires_at: transactionExpiresAt(now).getTime(),
    completed_at: input.state === 'complete' ? now.getTime() : null,
  };
  await insertRow.execute(db, row);
  return { id, binding, row };
}

const transactionById = prepareQuery((db, p: { id: string }) => db.selectFrom('transactions').selectAll().where('id', '=', p.id));

/**
 * The transaction behind a client's id, checked against the browser binding when it has one. An
 * unknown id and a wrong binding answer the same 404, so neither can be probed.
 */
export async function findTransaction(db: Db, id: string, binding: string | null): Promise<TransactionRow> {
  const row = /^[A-Za-z0-9_-]{20,100}$/.test(id) ? await transactionById.first(db, { id: hashToken(id) }) : undefined;
  if (!row) throw new TwofoldError('not_found', 'No such sign-in transaction.');
  if (row.browser_binding_hash !== null && (binding === null || !safeEqual(row.browser_binding_hash, hashToken(binding)))) {
    throw new TwofoldError('not_found', 'No such sign-in transaction.');
  }
  return row;
}

export function clientOf(row: TransactionRow): ClientInfo {
  return { kind: row.client_kind as ClientInfo['kind'], version: row.client_version ?? undefined };
}

export function snapshotOf(row: TransactionRow): TransactionSnapshot {
  return {
    state: row.state as TransactionState,
    purpose: row.purpose as TransactionPurpose,
    failures: row.failures,
    expiresAt: new Date(row.expires_at),
    completedAt: row.completed_at === null ? null : new Date(row.completed_at),
  };
}
