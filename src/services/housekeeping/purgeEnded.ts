/**
 * Deletes the records that have served their purpose (core/retention.ts): ended sign-in
 * transactions, old sessions and sent codes, set-ups never finished, factors and recovery codes of an
 * earlier two-step epoch (design-notes: "stale factors can be cleaned up later in the background"),
 * expired reset links, spent rate-limit counts. Setup codes stay: an expired one still holds its
 * member's set-up back until an administrator makes a new one (twoStep/setupCodes.ts), so deleting
 * it would let whoever holds the password set the first factor up alone.
 *
 * It runs beside the requests, on every server node at once, so it must never hold them back:
 *   - it deletes in batches, each its own short database transaction, and lets the event loop run
 *     between them (on SQLite each batch shares a group commit with the requests of the moment);
 *   - each batch reads only rows already ended, through an index or a range of the primary key;
 *   - on PostgreSQL it skips any row another transaction holds (`FOR UPDATE SKIP LOCKED`) and deletes
 *     only the rows it locked, so it never waits for a request and cannot deadlock with one; a skipped
 *     row goes next time. Two nodes purging at once skip each other's rows the same way.
 * Every condition is on times the rows carry, so a row still in use is never chosen.
 */
import type { SelectQueryBuilder } from 'kysely';
import { purgeCutoffs, type PurgeCutoffs } from '../../core/retention.ts';
import { firstIdAt } from '../../crypto/tokens.ts';
import type { Db, Engine } from '../../storage/database.ts';
import type { Context } from '../context.ts';

/** Rows deleted per database transaction: short enough not to hold SQLite's one writer for long. */
export const PURGE_BATCH = 500;

/** How many rows of each kind one purge deleted. */
export interface PurgeCounts {
  readonly transactions: number;
  readonly sessions: number;
  readonly sentCodes: number;
  readonly pendingFactors: number;
  readonly staleFactors: number;
  readonly staleRecoveryCodes: number;
  readonly passwordResets: number;
  readonly rateLimits: number;
}

export interface PurgeOptions {
  /** Asked before each batch: a server shutting down stops between batches. */
  readonly stopping?: () => boolean;
}

export async function purgeEnded(ctx: Context, options: PurgeOptions = {}): Promise<PurgeCounts> {
  const cut = purgeCutoffs(ctx.clock(), ctx.settings.sessionMaxMs);
  const run = new Batches(ctx.db, ctx.store.engine, options.stopping ?? (() => false));
  const stale = await purgeStaleEpochs(run, ctx.db);
  return {
    transactions: await purgeTransactions(run, cut),
    sessions: await purgeSessions(run, cut),
    sentCodes: await purgeSentCodes(run, cut),
    pendingFactors: await purgePendingFactors(run, cut),
    staleFactors: stale.factors,
    staleRecoveryCodes: stale.recoveryCodes,
    passwordResets: await purgePasswordResets(run, cut),
    rateLimits: await purgeRateLimits(run, cut),
  };
}

/** Sign-in and password-change transactions, found through their expiry's index. */
function purgeTransactions(run: Batches, cut: PurgeCutoffs): Promise<number> {
  return run.each(async (trx, skipLocked) => {
    const ids = (await skipLocked(trx.selectFrom('transactions').select('id')
      .where('expires_at', '<', cut.transactionsExpiredBefore).orderBy('expires_at').limit(PURGE_BATCH)).execute()).map((r) => r.id);
    return batch(ids, ids.length && await trx.deleteFrom('transactions').where('id', 'in', ids).executeTakeFirst());
  });
}

/**
 * Sessions past their absolute lifetime. Their ids grow with time, so the old ones are a range at the
 * start of the primary key; `created_at` decides, the range only bounds the read.
 */
function purgeSessions(run: Batches, cut: PurgeCutoffs): Promise<number> {
  return run.each(async (trx, skipLocked) => {
    const ids = (await skipLocked(trx.selectFrom('sessions').select('id')
      .where('id', '<', firstIdAt(cut.sessionsCreatedBefore)).where('created_at', '<', cut.sessionsCreatedBefore)
      .orderBy('id').limit(PURGE_BATCH)).execute()).map((r) => r.id);
    return batch(ids, ids.length && await trx.deleteFrom('sessions').where('id', 'in', ids).executeTakeFirst());
  });
}

/** Emailed and texted codes, long expired: the same range of ids as sessions. */
function purgeSentCodes(run: Batches, cut: PurgeCutoffs): Promise<number> {
  return run.each(async (trx, skipLocked) => {
    const ids = (await skipLocked(trx.selectFrom('sent_codes').select('id')
      .where('id', '<', firstIdAt(cut.sentCodesCreatedBefore)).where('created_at', '<', cut.sentCodesCreatedBefore)
      .orderBy('id').limit(PURGE_BATCH)).execute()).map((r) => r.id);
    return batch(ids, ids.length && await trx.deleteFrom('sent_codes').where('id', 'in', ids).executeTakeFirst());
  });
}

/**
 * Factors begun in a set-up or from a session and never confirmed: their sealed secrets go once no
 * set-up could still confirm them. Only factors being set up name one, and that column is indexed.
 * `>= ''` holds for every text and not for NULL, like `IS NOT NULL`, but SQLite reads it through the
 * index without statistics.
 */
function purgePendingFactors(run: Batches, cut: PurgeCutoffs): Promise<number> {
  return run.each(async (trx, skipLocked) => {
    const ids = (await skipLocked(trx.selectFrom('factors').select('id')
      .where('setup_transaction_id', '>=', '').where('active', '=', 0)
      .where('created_at', '<', cut.pendingFactorsCreatedBefore).limit(PURGE_BATCH)).execute()).map((r) => r.id);
    return batch(ids, ids.length && await trx.deleteFrom('factors').where('id', 'in', ids).executeTakeFirst());
  });
}

/**
 * Factors and recovery codes of an epoch the organization has left (a new primary method reset
 * everyone): they can never count again, since epochs only grow. A member's go when they set up
 * again; these are the members who have not. A factor still being paired from a session is left to
 * {@link purgePendingFactors}: confirming it moves it to the current epoch.
 */
async function purgeStaleEpochs(run: Batches, db: Db): Promise<{ factors: number; recoveryCodes: number }> {
  let factors = 0;
  let recoveryCodes = 0;
  const organizations = await db.selectFrom('organizations').select(['id', 'two_step_epoch']).execute();
  for (const { id, two_step_epoch: epoch } of organizations) {
    factors += await run.each(async (trx, skipLocked) => {
      const ids = (await skipLocked(trx.selectFrom('factors').select('id')
        .where('organization_id', '=', id).where('epoch', '<', epoch).where('setup_transaction_id', 'is', null).limit(PURGE_BATCH)).execute()).map((r) => r.id);
      return batch(ids, ids.length && await trx.deleteFrom('factors').where('id', 'in', ids).executeTakeFirst());
    });
    recoveryCodes += await run.each(async (trx, skipLocked) => {
      const ids = (await skipLocked(trx.selectFrom('recovery_codes').select('id')
        .where('organization_id', '=', id).where('epoch', '<', epoch).limit(PURGE_BATCH)).execute()).map((r) => r.id);
      return batch(ids, ids.length && await trx.deleteFrom('recovery_codes').where('id', 'in', ids).executeTakeFirst());
    });
  }
  return { factors, recoveryCodes };
}

/** Password-reset links that expired unused (a member has at most one: the table stays small). */
function purgePasswordResets(run: Batches, cut: PurgeCutoffs): Promise<number> {
  return run.each(async (trx, skipLocked) => {
    const ids = (await skipLocked(trx.selectFrom('password_resets').select('member_id')
      .where('expires_at', '<', cut.linksExpiredBefore).limit(PURGE_BATCH)).execute()).map((r) => r.member_id);
    return batch(ids, ids.length && await trx.deleteFrom('password_resets').where('member_id', 'in', ids).executeTakeFirst());
  });
}

/** Rate-limit counts whose window has passed (the next hit would start again from one anyway). */
function purgeRateLimits(run: Batches, cut: PurgeCutoffs): Promise<number> {
  return run.each(async (trx, skipLocked) => {
    const keys = (await skipLocked(trx.selectFrom('rate_limits').select('key')
      .where('window_start', '<', cut.rateLimitWindowsStartedBefore).orderBy('window_start').limit(PURGE_BATCH)).execute()).map((r) => r.key);
    return batch(keys, keys.length && await trx.deleteFrom('rate_limits').where('key', 'in', keys).executeTakeFirst());
  });
}

type SkipLocked = <DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O>;

/** What one batch did: how many rows it chose (a full batch means there may be more) and deleted. */
interface Batch {
  readonly chosen: number;
  readonly deleted: number;
}

function batch(chosen: readonly unknown[], result: 0 | { numDeletedRows: bigint }): Batch {
  return { chosen: chosen.length, deleted: result === 0 ? 0 : Number(result.numDeletedRows) };
}

/** Runs batches of one kind until one comes back short. */
class Batches {
  readonly #skipLocked: SkipLocked;

  constructor(private readonly db: Db, engine: Engine, private readonly stopping: () => boolean) {
    // SQLite has one writer and no row locks: a batch there never meets a request's rows half-changed.
    this.#skipLocked = engine === 'postgres' ? (query) => query.forUpdate().skipLocked() : (query) => query;
  }

  /** `work` chooses up to {@link PURGE_BATCH} rows and deletes them, in one database transaction. */
  async each(work: (trx: Db, skipLocked: SkipLocked) => Promise<Batch>): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.stopping()) return total;
      const done = await this.db.transaction().execute((trx) => work(trx, this.#skipLocked));
      total += done.deleted;
      if (done.chosen < PURGE_BATCH) return total;
      // Requests waiting meanwhile go before the next batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
