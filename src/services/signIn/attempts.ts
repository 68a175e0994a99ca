/**
 * Counting code attempts without races (security.md 2–3; design-notes "single use and limits").
 * An attempt is reserved before the code is checked: one conditional update on the transaction
 * (fewer than 5 failures, still open) and one on the factor (not locked, fewer than 100 in a row),
 * in one database transaction. Parallel requests therefore cannot get more checks than the limits
 * allow; a right code then clears the factor's count, a wrong one may lock the factor or end the
 * transaction.
 */
import { TwofoldError } from '../../core/errors.ts';
import { FACTOR_MAX_CONSECUTIVE_FAILURES, TRANSACTION_MAX_FAILURES, lockAfterFailure, secondsUntil } from '../../core/lockout.ts';
import { assertUsable } from '../../core/signInTransaction.ts';
import type { Db } from '../../storage/database.ts';
import type { FactorRow, TransactionRow } from '../../storage/schema.ts';
import { audit } from '../audit.ts';
import type { Context } from '../context.ts';
import { snapshotOf } from './transactionRecord.ts';

export interface ReservedAttempt {
  /** The factor's consecutive failures counting this attempt. */
  readonly factorFailures: number;
  /** The transaction's failures counting this attempt. */
  readonly transactionFailures: number;
}

export async function reserveAttempt(
  ctx: Context,
  row: TransactionRow,
  state: 'verify' | 'setup',
  factor: FactorRow,
): Promise<ReservedAttempt> {
  const now = ctx.clock().getTime();
  const reserved = await ctx.db.transaction().execute(async (trx) => {
    const tx = await trx.updateTable('transactions').set((eb) => ({ failures: eb('failures', '+', 1) }))
      .where('id', '=', row.id).where('state', '=', state).where('completed_at', 'is', null)
      .where('failures', '<', TRANSACTION_MAX_FAILURES).where('expires_at', '>', now)
      .returning('failures').executeTakeFirst();
    if (!tx) return null;
    const factorFailures = await reserveFactorAttempt(trx, factor.id, now);
    if (factorFailures === null) throw new TwofoldError('factor_locked', 'This verification method is locked after too many wrong codes.');
    return { factorFailures, transactionFailures: tx.failures };
  }).catch(async (error: unknown) => {
    if (error instanceof TwofoldError && error.code === 'factor_locked') throw await factorLockedError(ctx, factor.id);
    throw error;
  });
  if (!reserved) {
    // The reservation was refused: say why from the current state (failed, expired, completed).
    const current = await ctx.db.selectFrom('transactions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    assertUsable(snapshotOf(current), ctx.clock(), [state]);
    throw new TwofoldError('transaction_failed', 'Too many wrong codes. Sign in again.');
  }
  return reserved;
}

/**
 * Counts one attempt against a factor unless it is locked or at the hard limit of consecutive
 * failures; returns the count including this attempt, or null when the factor may not be tried.
 */
export async function reserveFactorAttempt(db: Db, factorId: string, nowMs: number): Promise<number | null> {
  const f = await db.updateTable('factors').set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id', '=', factorId).where('locked_until_reset', '=', 0)
    .where('failures', '<', FACTOR_MAX_CONSECUTIVE_FAILURES)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowMs)]))
    .returning('failures').executeTakeFirst();
  return f ? f.failures : null;
}

/** Locks the factor when a wrong code's count reaches a threshold (security.md 3), and audits it. */
export async function applyFactorLock(
  ctx: Context, factor: FactorRow, failures: number, context: { organizationId: string; memberId: string; ip: string | null },
): Promise<void> {
  const now = ctx.clock();
  const lock = lockAfterFailure(failures, now);
  if (!lock) return;
  // Only the request whose increment reached the threshold sets the lock (its count is unique).
  await ctx.db.updateTable('factors')
    .set('lockedUntilReset' in lock ? { locked_until_reset: 1 } : { locked_until: lock.lockedUntil.getTime() })
    .where('id', '=', factor.id).where('failures', '=', failures).execute();
  await audit(ctx.db, now, {
    organizationId: context.organizationId, actor: { id: null, name: 'Two-step verification', ip: context.ip },
    entityType: 'factor', entityId: factor.id, entityName: factor.label, changeType: 'Lock',
    details: { memberId: context.memberId, failures, lockedUntil: 'lockedUntil' in lock ? lock.lockedUntil.toISOString() : 'reset' },
  });
}

/** A right code: the factor's consecutive failures start again from zero (NIST §3.2.2). */
export async function recordSuccess(ctx: Context, factorId: string): Promise<void> {
  await ctx.db.updateTable('factors').set({ failures: 0, locked_until: null }).where('id', '=', factorId).execute();
}

/**
 * A wrong code: lock the factor when this failure reaches a threshold, end the transaction at its
 * fifth, and answer with how many tries are left.
 */
export async function recordFailure(
  ctx: Context,
  row: TransactionRow,
  factor: FactorRow,
  attempt: ReservedAttempt,
): Promise<TwofoldError> {
  await applyFactorLock(ctx, factor, attempt.factorFailures, { organizationId: row.organization_id, memberId: row.member_id, ip: row.ip });
  if (attempt.transactionFailures >= TRANSACTION_MAX_FAILURES) {
    await ctx.db.updateTable('transactions').set({ state: 'failed' })
      .where('id', '=', row.id).where('completed_at', 'is', null).execute();
    return new TwofoldError('transaction_failed', 'Too many wrong codes. Sign in again.');
  }
  return new TwofoldError('invalid_code', 'The code is not correct or has expired.', {
    attemptsRemaining: TRANSACTION_MAX_FAILURES - attempt.transactionFailures,
  });
}

export async function factorLockedError(ctx: Context, factorId: string): Promise<TwofoldError> {
  const f = await ctx.db.selectFrom('factors').select(['locked_until', 'locked_until_reset']).where('id', '=', factorId).executeTakeFirst();
  const until = f?.locked_until_reset === 0 && f.locked_until !== null ? new Date(f.locked_until) : null;
  return new TwofoldError(
    'factor_locked',
    until ? 'This verification method is locked after too many wrong codes. Try again later or use another method.'
      : 'This verification method is locked after too many wrong codes. Ask an administrator to reset two-step verification.',
    until ? { retryAfterSeconds: secondsUntil(until, ctx.clock()), lockedUntil: until.toISOString() } : { lockedUntil: null },
  );
}
