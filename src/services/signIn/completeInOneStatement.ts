/**
 * On PostgreSQL, a right code that completes a plain sign-in is written in one statement: the code
 * consumed with the factor's failures cleared, the transaction marked complete, the session issued,
 * the member's last sign-in and the audit event, as the data-modifying parts of one `WITH` query,
 * each part conditional on the one before. Run one by one (services/signIn/attempts.ts and
 * complete.ts) they are six round trips to the database server, and on PostgreSQL a verify step's
 * time goes mostly to its round trips (docs/performance.md).
 *
 * The conditions are the ones the separate statements use (`transactionOpen`, `factorUnlocked`, the
 * method's own `unconsumed`), so the rules stay where they are; only their writes are put together.
 * When the code was not consumed (a replayed code, or a locked factor) nothing is written and the
 * caller goes the general way, which tells those apart and counts what it must. When the code was
 * consumed but the transaction is no longer open, the caller throws why, which rolls the consumption
 * back, as the general way does.
 *
 * SQLite runs no data-modifying statement inside `WITH`, and runs each statement in-process in a few
 * microseconds: there the general way is the only one.
 */
import type { SqlBool } from 'kysely';
import type { Proof, RowConsumption } from '../../methods/method.ts';
import { methodFor } from '../../methods/registry.ts';
import type { Db } from '../../storage/database.ts';
import { prepareQuery, type PreparedQuery } from '../../storage/preparedQuery.ts';
import type { AuditEventRow, FactorRow, SessionRow, TransactionRow } from '../../storage/schema.ts';
import { auditEventRow, memberEntityType } from '../audit.ts';
import type { Context } from '../context.ts';
import { newSession } from '../sessions.ts';
import { CLEARED_FAILURES, factorUnlocked, throwClosed, transactionOpen } from './attempts.ts';
import type { Completion } from './complete.ts';
import type { TransactionMember } from './transactionRecord.ts';

/** Whether {@link completeSignInInOneStatement} can complete `row` with a code of `factor`. */
export function completesInOneStatement(ctx: Context, row: TransactionRow, factor: FactorRow, member: TransactionMember): boolean {
  return ctx.store.engine === 'postgres'
    && row.purpose === 'sign_in' && row.invitation_id === null && row.origin_session_id === null
    // A disabled member's sign-in fails in the general way, which says why.
    && member.enabled === 1
    && methodFor(factor.type).rowConsumption !== undefined;
}

/**
 * Consumes `proof` of `factor` and completes sign-in `row` (open in its verify step) in one statement.
 * Null when the proof was not consumed: nothing was written.
 * @throws TwofoldError why the transaction is closed, when the proof was consumed but the transaction
 *   could not complete (the caller's database transaction then undoes the consumption).
 */
export async function completeSignInInOneStatement(
  ctx: Context, trx: Db, row: TransactionRow, factor: FactorRow, proof: Proof, member: TransactionMember,
): Promise<Completion | null> {
  const now = ctx.clock();
  const { row: session, issued } = newSession(ctx, member, { kind: row.client_kind, version: row.client_version }, row.ip, true);
  const event = auditEventRow(now, {
    organizationId: member.organization_id, actor: { id: member.id, name: member.name, ip: row.ip },
    entityType: memberEntityType(member.role), entityId: member.id, entityName: member.name,
    changeType: 'SignIn', details: { client: row.client_kind, clientVersion: row.client_version },
  });
  const outcome = await statementFor(methodFor(factor.type).rowConsumption!).first(trx, {
    ...session, ...prefixed(event), factorId: factor.id, proof, transactionId: row.id, now: now.getTime(),
  });
  if (!outcome?.consumed) return null;
  if (!outcome.completed) await throwClosed(trx, row, 'verify', now);
  return { session: issued, notices: [] };
}

type AuditColumns = { [K in keyof AuditEventRow as `audit_${K}`]: AuditEventRow[K] };
const prefixed = (event: AuditEventRow): AuditColumns => Object.fromEntries(
  Object.entries(event).map(([name, value]) => [`audit_${name}`, value]),
) as AuditColumns;

type Params = SessionRow & AuditColumns & { factorId: string; proof: Proof; transactionId: string; now: number };

const SESSION_COLUMNS = [
  'id', 'token_hash', 'member_id', 'organization_id', 'client_kind', 'client_version', 'ip', 'created_at', 'expires_at',
  'last_seen_at', 'reauthenticated_at', 'password_reverified_at', 'setup_required_at', 'revoked_at',
] as const satisfies ReadonlyArray<keyof SessionRow>;
const AUDIT_COLUMNS = [
  'id', 'organization_id', 'at', 'actor_id', 'actor_name', 'entity_type', 'entity_id', 'entity_name', 'change_type', 'details', 'ip',
] as const satisfies ReadonlyArray<keyof AuditEventRow>;

/** Whether the proof was consumed, and whether the transaction completed (on PostgreSQL, booleans). */
interface Outcome {
  readonly consumed: SqlBool;
  readonly completed: SqlBool;
}

/** One statement per way of consuming (one per method that consumes in the factor's row). */
const statements = new Map<RowConsumption, PreparedQuery<Params, Outcome>>();

function statementFor(consumption: RowConsumption): PreparedQuery<Params, Outcome> {
  let statement = statements.get(consumption);
  if (!statement) {
    statement = prepareQuery<Params, Outcome>((db, p: Params) => db
      .with('consumed', (qb) => qb.updateTable('factors')
        .set({ ...consumption.set(p.proof), ...CLEARED_FAILURES })
        .where('id', '=', p.factorId).where((eb) => consumption.unconsumed(eb, p.proof)).where((eb) => factorUnlocked(eb, p.now))
        .returning('id'))
      .with('completed', (qb) => qb.updateTable('transactions')
        .set({ state: 'complete', completed_at: p.now })
        .where('id', '=', p.transactionId).where((eb) => transactionOpen(eb, 'verify', p.now))
        .where((eb) => eb.exists(eb.selectFrom('consumed').select('id')))
        .returning('id'))
      // PostgreSQL gives each value the type of the column it is inserted into.
      .with('session', (qb) => qb.insertInto('sessions').columns(SESSION_COLUMNS)
        .expression((eb) => eb.selectFrom('completed').select(SESSION_COLUMNS.map((name) => eb.val(p[name]).as(name)))))
      .with('signed_in', (qb) => qb.updateTable('members').set({ last_sign_in_at: p.now })
        .where('id', '=', p.member_id).where((eb) => eb.exists(eb.selectFrom('completed').select('id'))))
      .with('audited', (qb) => qb.insertInto('audit_events').columns(AUDIT_COLUMNS)
        .expression((eb) => eb.selectFrom('completed').select(AUDIT_COLUMNS.map((name) => eb.val(p[`audit_${name}`]).as(name)))))
      .selectNoFrom((eb) => [
        eb.exists(eb.selectFrom('consumed').select('id')).as('consumed'),
        eb.exists(eb.selectFrom('completed').select('id')).as('completed'),
      ]));
    statements.set(consumption, statement);
  }
  return statement;
}
