/**
 * Storage of sign-in transactions. The id the client holds is a 256-bit capability; only its SHA-256
 * is stored. A website transaction is also bound to its browser by a second secret in an HttpOnly
 * cookie, so a leaked id alone cannot be used from elsewhere.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { ClientInfo, TransactionPurpose, TransactionState } from '../../core/model.ts';
import { transactionExpiresAt, type TransactionSnapshot } from '../../core/signInTransaction.ts';
import { hashToken, newToken, safeEqual } from '../../crypto/tokens.ts';
import type { Db, Engine } from '../../storage/database.ts';
import { factorFromColumns, PREFIXED_FACTOR_COLUMNS } from '../../storage/factorColumns.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { FactorRow, TransactionRow } from '../../storage/schema.ts';
import { POLICY_COLUMNS, policyFromColumns, type OrganizationPolicy } from '../twoStep/organizationPolicy.ts';

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
  readonly invitationId?: string | null;
  readonly passwordResetHash?: string | null;
  /** `required` for a set-up that must first prove possession of a switched-off factor (setupProof.ts). */
  readonly setupProof?: 'required' | null;
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
  new_password_hash: p.new_password_hash, end_other_sessions: p.end_other_sessions, origin_session_id: p.origin_session_id,
  invitation_id: p.invitation_id, password_reset_hash: p.password_reset_hash, setup_proof: p.setup_proof, ip: p.ip,
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
    invitation_id: input.invitationId ?? null,
    password_reset_hash: input.passwordResetHash ?? null,
    setup_proof: input.setupProof ?? null,
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
  const row = isCapability(id) ? await transactionById.first(db, { id: hashToken(id) }) : undefined;
  return checkedAgainstBinding(row, binding);
}

/** Who completing a transaction acts for: what the session, the audit event and the notice need. */
export interface TransactionMember {
  readonly id: string;
  readonly organization_id: string;
  readonly name: string;
  readonly email: string;
  readonly role: string | null;
  readonly enabled: number;
}

const transactionForStepById = prepareQuery((db, p: { id: string; factorId: string }) => db.selectFrom('transactions')
  .innerJoin('members', 'members.id', 'transactions.member_id')
  .innerJoin('organizations', 'organizations.id', 'transactions.organization_id')
  // The factor asked for, when it is the member's and counts now (memberTwoStep.ts activeFactor).
  .leftJoin('factors', (join) => join.on('factors.id', '=', p.factorId).onRef('factors.member_id', '=', 'transactions.member_id')
    .onRef('factors.epoch', '=', 'organizations.two_step_epoch').on('factors.active', '=', 1))
  .selectAll('transactions')
  .select(['members.name as member_name', 'members.email as member_email', 'members.role as member_role', 'members.enabled as member_enabled'])
  .select(POLICY_COLUMNS)
  .select(PREFIXED_FACTOR_COLUMNS)
  .where('transactions.id', '=', p.id));

/** What a step of a transaction reads in one query (see {@link findTransactionForStep}). */
export interface TransactionForStep {
  readonly row: TransactionRow;
  readonly member: TransactionMember;
  readonly policy: OrganizationPolicy;
  /** The factor asked for, if it is one of the member's factors that count now. */
  readonly factor: FactorRow | undefined;
}

/**
 * {@link findTransaction}, its member, its organization's policy and the factor a step names, in one
 * query: the verify step every sign-in takes reads them all, and each statement is a round trip on
 * PostgreSQL.
 */
export async function findTransactionForStep(db: Db, id: string, binding: string | null, factorId: string): Promise<TransactionForStep> {
  const found = isCapability(id) ? await transactionForStepById.first(db, { id: hashToken(id), factorId }) : undefined;
  if (!found) throw new TwofoldError('not_found', 'No such sign-in transaction.');
  // The row keeps the organization's and the factor's columns beside the transaction's: none of
  // their names is one of the transaction's, nothing reads them there, and leaving them spares a copy.
  const { member_name, member_email, member_role, member_enabled, ...row } = found;
  return {
    row: checkedAgainstBinding(row, binding),
    member: { id: row.member_id, organization_id: row.organization_id, name: member_name, email: member_email, role: member_role, enabled: member_enabled },
    policy: policyFromColumns(found, found.organization_id),
    factor: factorFromColumns(found),
  };
}

/**
 * Takes the row lock of the member a transaction belongs to (access/rowLocks.ts, PostgreSQL only)
 * before the transaction is read, so the read that follows is current: a parallel step that failed or
 * completed the transaction meanwhile has committed by then. One statement, found by the transaction's
 * id; nothing for an id that is no capability (it is not found next anyway).
 */
export async function lockMemberOfTransaction(trx: Db, engine: Engine, id: string): Promise<void> {
  if (engine !== 'postgres' || !isCapability(id)) return;
  await memberOfTransactionLocked.execute(trx, { id: hashToken(id) });
}

const memberOfTransactionLocked = prepareQuery((db, p: { id: string }) => db.selectFrom('members').select('id')
  .where('id', '=', (eb) => eb.selectFrom('transactions').select('member_id').where('id', '=', p.id))
  .forUpdate());

const isCapability = (id: string): boolean => /^[A-Za-z0-9_-]{20,100}$/.test(id);

/** An unknown id and a wrong binding answer the same 404, so neither can be probed. */
function checkedAgainstBinding(row: TransactionRow | undefined, binding: string | null): TransactionRow {
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

/**
 * Ends the member's transactions under way (sign-ins and password changes waiting for a code or a
 * set-up), but `exceptId`: they were started with a password or factors that have just changed.
 */
export async function endOpenTransactions(db: Db, memberIds: readonly string[], exceptId?: string): Promise<void> {
  if (memberIds.length === 0) return;
  let query = db.updateTable('transactions').set({ state: 'expired' })
    .where('member_id', 'in', memberIds).where('completed_at', 'is', null).where('state', 'in', ['verify', 'setup']);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  await query.execute();
}
