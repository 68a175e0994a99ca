/**
 * Counting code attempts without races (docs/security.md S2–S3; docs/design.md "Single use and limits without races").
 * An attempt runs in one database transaction and never reads-then-writes: the code is checked
 * without writing, then every effect is a conditional update whose row count decides. A right code
 * is consumed only if the factor is not locked and the transaction is still open (fewer than 5
 * failures, not expired); a wrong one is counted only while the transaction is open and the factor
 * below its limits. The updates take the rows' write locks, so parallel attempts on one transaction
 * or factor are ordered one after another on SQLite and PostgreSQL alike, and none is counted twice.
 */
import { TwofoldError } from '../../core/errors.ts';
import { FACTOR_MAX_CONSECUTIVE_FAILURES, TRANSACTION_MAX_FAILURES, lockAfterFailure, secondsUntil } from '../../core/lockout.ts';
import { assertUsable, closedTransactionError } from '../../core/signInTransaction.ts';
import { methodFor } from '../../methods/registry.ts';
import type { Proof, ResponseInput } from '../../methods/method.ts';
import type { Db } from '../../storage/database.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { Database, FactorRow, TransactionRow } from '../../storage/schema.ts';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { audit, memberEntityType } from '../audit.ts';
import type { Context } from '../context.ts';
import { snapshotOf } from './transactionRecord.ts';

/** A transaction still open in `state` at `now`: not completed, failed or expired. */
export const transactionOpen = (eb: ExpressionBuilder<Database, 'transactions'>, state: 'verify' | 'setup', now: number): Expression<SqlBool> => eb.and([
  eb('state', '=', state), eb('completed_at', 'is', null), eb('failures', '<', TRANSACTION_MAX_FAILURES), eb('expires_at', '>', now),
]);

/** A factor that may be tried at `now`: neither locked until an administrator's reset nor for a while. */
export const factorUnlocked = (eb: ExpressionBuilder<Database, 'factors'>, now: number): Expression<SqlBool> => eb.and([
  eb('locked_until_reset', '=', 0), eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]),
]);

/**
 * Checks `response` (a typed code, or an approved push request) for `factor` within transaction `row`, inside `trx`. A right code is consumed and
 * null returned: the caller then completes what the code was for in the same database transaction
 * (with a conditional update that the transaction is still open). A wrong code is counted and the
 * error to answer with returned: the caller commits, then throws it, so the count survives.
 * `checked` is what {@link checkCode} found, when the caller has asked it already.
 */
export async function attemptCode(
  ctx: Context, trx: Db, row: TransactionRow, state: 'verify' | 'setup', factor: FactorRow, response: ResponseInput,
  checked?: { readonly proof: Proof | null },
): Promise<TwofoldError | null> {
  const now = ctx.clock();
  if (await acceptCode(ctx, trx, factor, response, row.id, now, checked)) return null;

  const failure = await countTransactionFailure(trx, row, state, now, factor);
  const factorFailures = await countFactorFailure(trx, factor.id, now.getTime());
  // Thrown, so the transaction's count goes back: a locked factor was not tried.
  if (factorFailures === null) throw await factorLockedError(ctx, trx, factor.id);
  await applyFactorLock(ctx, trx, factor, factorFailures, { organizationId: row.organization_id, memberId: row.member_id, ip: row.ip });
  return failure;
}

/** What a wrong code was tried with: one of the member's factors, a recovery code, or a setup code. */
export type TriedWith = Pick<FactorRow, 'id' | 'type'> | 'recovery_code' | 'setup_code';

/**
 * Counts a wrong code (a factor's or a recovery code) against transaction `row` while it is open in
 * `state`, failing it at the fifth, and returns the error to answer with: `invalid_code` with the
 * attempts left, or `transaction_failed`. Throws why when the transaction is already closed, so a
 * closed transaction counts nothing. One conditional update decides, so parallel wrong codes are each
 * counted once and never past the limit (docs/security.md S2). Each counted failure is audited in `trx`, so
 * the trail holds exactly the failures that were counted, and commits or rolls back with them.
 */
export async function countTransactionFailure(
  trx: Db, row: TransactionRow, state: 'verify' | 'setup', now: Date, triedWith: TriedWith,
): Promise<TwofoldError> {
  const tx = await trx.updateTable('transactions').set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id', '=', row.id).where((eb) => transactionOpen(eb, state, now.getTime()))
    .returning('failures').executeTakeFirst();
  if (!tx) return throwClosed(trx, row, state, now);
  const attemptsRemaining = TRANSACTION_MAX_FAILURES - tx.failures;
  await auditWrongCode(trx, row, state, now, triedWith, attemptsRemaining);
  if (attemptsRemaining <= 0) {
    await trx.updateTable('transactions').set({ state: 'failed' }).where('id', '=', row.id).where('completed_at', 'is', null).execute();
    return closedTransactionError('failed')!;
  }
  return new TwofoldError('invalid_code', 'The code is not correct or has expired.', { attemptsRemaining });
}

const transactionMember = prepareQuery((db, p: { id: string }) => db.selectFrom('members')
  .select(['id', 'name', 'role']).where('id', '=', p.id));

/**
 * Records a counted wrong code as `VerifyFailed` against the member, and the transaction's end as
 * `TransactionFailed` when it was the last attempt: a right password followed by wrong codes is the
 * clearest sign of a stolen password. Only what was tried with is recorded, never the code. The actor
 * is the system, as for a factor lock: whoever typed the code has not proved to be the member.
 */
async function auditWrongCode(
  trx: Db, row: TransactionRow, state: 'verify' | 'setup', now: Date, triedWith: TriedWith, attemptsRemaining: number,
): Promise<void> {
  // The transaction references its member, so the row is there.
  const member = await transactionMember.first(trx, { id: row.member_id });
  if (!member) throw new Error(`Transaction of an unknown member ${row.member_id}`);
  const entry = {
    organizationId: row.organization_id, actor: { id: null, name: 'Two-step verification', ip: row.ip },
    entityType: memberEntityType(member.role), entityId: member.id, entityName: member.name,
  };
  const transaction = { purpose: row.purpose, step: state, client: row.client_kind };
  await audit(trx, now, {
    ...entry, changeType: 'VerifyFailed',
    details: {
      factorId: typeof triedWith === 'string' ? null : triedWith.id,
      factorType: typeof triedWith === 'string' ? triedWith : triedWith.type,
      ...transaction, attemptsRemaining,
    },
  });
  if (attemptsRemaining <= 0) {
    await audit(trx, now, { ...entry, changeType: 'TransactionFailed', details: { ...transaction, failures: TRANSACTION_MAX_FAILURES } });
  }
}

/**
 * Reads `input` as the factor's method reads a response (a typed code: spaces and dashes ignored) and
 * checks it within `scope`, writing nothing: the proof a right response stands for, or null.
 */
export async function checkCode(ctx: Context, trx: Db, factor: FactorRow, input: ResponseInput, scope: string, now: Date): Promise<Proof | null> {
  const method = methodFor(factor.type);
  const response = method.readResponse(input);
  return response === null ? null : await method.check(ctx, trx, factor, response, scope, now);
}

/**
 * Checks `input` ({@link checkCode}, unless `checked` says what it found), then consumes a right code
 * and clears the factor's failures (NIST §3.2.2), unless the factor is locked: then it throws
 * `factor_locked` and the caller's database transaction undoes the consumption. False for a wrong
 * code, or one a parallel request consumed first.
 */
export async function acceptCode(
  ctx: Context, trx: Db, factor: FactorRow, input: ResponseInput, scope: string, now: Date, checked?: { readonly proof: Proof | null },
): Promise<boolean> {
  const proof = checked ? checked.proof : await checkCode(ctx, trx, factor, input, scope, now);
  if (proof === null || !await methodFor(factor.type).consume(trx, factor, proof, now)) return false;
  if (await clearFailuresUnlessLocked.affected(trx, { id: factor.id, now: now.getTime() }) !== 1) throw await factorLockedError(ctx, trx, factor.id);
  return true;
}

/** What a right code does to its factor besides consuming the proof: its count of wrong codes starts again. */
export const CLEARED_FAILURES = { failures: 0, locked_until: null } as const;

const clearFailuresUnlessLocked = prepareQuery((db, p: { id: string; now: number }) => db.updateTable('factors')
  .set(CLEARED_FAILURES).where('id', '=', p.id).where((eb) => factorUnlocked(eb, p.now)));

/**
 * Marks a transaction still open in `state` as used by this request, or throws why it is not
 * (failed, expired, completed): a right code completes nothing in a closed transaction.
 */
export async function requireOpen(trx: Db, row: TransactionRow, state: 'verify' | 'setup', now: Date): Promise<void> {
  const open = await trx.updateTable('transactions').set((eb) => ({ failures: eb.ref('failures') }))
    .where('id', '=', row.id).where((eb) => transactionOpen(eb, state, now.getTime()))
    .executeTakeFirst();
  if (Number(open.numUpdatedRows) !== 1) await throwClosed(trx, row, state, now);
}

/** Throws why a transaction cannot take a step in `state` now (failed, expired, completed, other state). */
export async function throwClosed(trx: Db, row: TransactionRow, state: 'verify' | 'setup', now: Date): Promise<never> {
  const current = await trx.selectFrom('transactions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  assertUsable(snapshotOf(current), now, [state]);
  throw new TwofoldError('transaction_failed', 'Too many wrong codes. Sign in again.');
}

/**
 * Counts a wrong code against a factor unless it is locked or at the hard limit of consecutive
 * failures; returns the count including this one, or null when the factor may not be tried.
 */
export async function countFactorFailure(db: Db, factorId: string, nowMs: number): Promise<number | null> {
  const f = await db.updateTable('factors').set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id', '=', factorId).where((eb) => factorUnlocked(eb, nowMs))
    .where('failures', '<', FACTOR_MAX_CONSECUTIVE_FAILURES)
    .returning('failures').executeTakeFirst();
  return f ? f.failures : null;
}

/** Locks the factor when a wrong code's count reaches a threshold (docs/security.md S3), and audits it. */
export async function applyFactorLock(
  ctx: Context, db: Db, factor: FactorRow, failures: number, context: { organizationId: string; memberId: string; ip: string | null },
): Promise<void> {
  const now = ctx.clock();
  const lock = lockAfterFailure(failures, now);
  if (!lock) return;
  await db.updateTable('factors')
    .set('lockedUntilReset' in lock ? { locked_until_reset: 1 } : { locked_until: lock.lockedUntil.getTime() })
    .where('id', '=', factor.id).execute();
  await audit(db, now, {
    organizationId: context.organizationId, actor: { id: null, name: 'Two-step verification', ip: context.ip },
    entityType: 'factor', entityId: factor.id, entityName: factor.label, changeType: 'Lock',
    details: { memberId: context.memberId, failures, lockedUntil: 'lockedUntil' in lock ? lock.lockedUntil.toISOString() : 'reset' },
  });
}

export async function factorLockedError(ctx: Context, db: Db, factorId: string): Promise<TwofoldError> {
  const f = await db.selectFrom('factors').select(['locked_until', 'locked_until_reset']).where('id', '=', factorId).executeTakeFirst();
  const until = f?.locked_until_reset === 0 && f.locked_until !== null ? new Date(f.locked_until) : null;
  return new TwofoldError(
    'factor_locked',
    until ? 'This verification method is locked after too many wrong codes. Try again later or use another method.'
      : 'This verification method is locked after too many wrong codes. Ask an administrator to unlock it.',
    until ? { retryAfterSeconds: secondsUntil(until, ctx.clock()), lockedUntil: until.toISOString() } : { lockedUntil: null },
  );
}

/**
 * Runs `step` in one database transaction, where it may return a wrong code's error: the recorded
 * failure is committed first, then the error thrown. Anything thrown rolls everything back.
 */
export async function inAttemptTransaction<T>(ctx: Context, step: (trx: Db) => Promise<T | TwofoldError>): Promise<T> {
  const outcome = await ctx.db.transaction().execute(step);
  if (outcome instanceof TwofoldError) throw outcome;
  return outcome;
}
