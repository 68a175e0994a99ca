/**
 * Deletes the records that have served their purpose (core/retention.ts): ended sign-in
 * transactions, old sessions and sent codes, set-ups never finished, factors and recovery codes of an
 * earlier two-step epoch (docs/decisions.md "Housekeeping deletes ended records in the background"),
 * expired reset links, spent rate-limit attempts and keys, and audit events older than their
 * organization keeps them. Setup codes stay: an expired one still holds its
 * member's set-up back until an administrator makes a new one (twoStep/setupCodes.ts), so deleting
 * it would let whoever holds the password set the first factor up alone.
 *
 * It runs beside the requests, on every server node at once, so it must never hold them back:
 *   - each batch is one statement, `DELETE … WHERE key IN (the next ended rows, at most 500)`, and
 *     the event loop runs between batches (on SQLite a batch shares a group commit with the
 *     requests of the moment);
 *   - the rows are chosen through an index or a range of the primary key, so only ended rows are read;
 *   - on PostgreSQL the choice skips any row another transaction holds (`FOR UPDATE SKIP LOCKED`),
 *     so a batch never waits for a request and cannot deadlock with one; a skipped row goes next
 *     time. Two nodes purging at once skip each other's rows the same way.
 * Every condition is on times the rows carry, so a row still in use is never chosen.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { auditEventsRecordedBefore, purgeCutoffs, type PurgeCutoffs } from '../../core/retention.ts';
import { firstIdAt } from '../../crypto/tokens.ts';
import type { Db } from '../../storage/database.ts';
import type { Database } from '../../storage/schema.ts';
import type { Context } from '../context.ts';

/** Rows deleted per statement: short enough not to hold SQLite's one writer for long. */
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
  /** Attempts counted by rate limits. */
  readonly rateLimitHits: number;
  /** Rate-limited keys. */
  readonly rateLimits: number;
  readonly auditEvents: number;
  /** Push requests a day after they were made, and pairing links a day after they expired. */
  readonly pushRecords: number;
}

export interface PurgeOptions {
  /** Asked before each batch: a server shutting down stops between batches. */
  readonly stopping?: () => boolean;
}

/** One kind of ended record: its table, the column that names a row, and how to find ended ones. */
interface Kind {
  readonly table: keyof Database;
  readonly key: string;
  /** The ended rows, selecting `key`; oldest first where the order is cheap. */
  readonly ended: SelectQueryBuilder<Database, keyof Database, unknown>;
}

export async function purgeEnded(ctx: Context, options: PurgeOptions = {}): Promise<PurgeCounts> {
  const { db } = ctx;
  const stopping = options.stopping ?? (() => false);
  const skipLocked = ctx.store.engine === 'postgres';
  const purge = (kind: Kind) => purgeKind(db, kind, skipLocked, stopping);
  const now = ctx.clock();
  const stale = await purgeStaleEpochs(db, purge);
  const cut = purgeCutoffs(now, ctx.settings.sessionMaxMs);
  return {
    transactions: await purge(endedTransactions(db, cut)),
    sessions: await purge(endedSessions(db, cut)),
    sentCodes: await purge(endedSentCodes(db, cut)),
    pendingFactors: await purge(abandonedFactors(db, cut)),
    staleFactors: stale.factors,
    staleRecoveryCodes: stale.recoveryCodes,
    passwordResets: await purge(expiredResetLinks(db, cut)),
    pushRecords: await purge(endedPushRequests(db, cut)) + await purge(expiredPairings(db, cut)),
    rateLimitHits: await purge(spentRateLimitHits(db, cut)),
    rateLimits: await purge(spentRateLimits(db, cut)),
    auditEvents: await purgeOldAuditEvents(db, now, purge),
  };
}

/** Sign-in and password-change transactions, found through their expiry's index. */
const endedTransactions = (db: Db, cut: PurgeCutoffs): Kind => ({
  table: 'transactions', key: 'id',
  ended: db.selectFrom('transactions').select('id').where('expires_at', '<', cut.transactionsExpiredBefore).orderBy('expires_at'),
});

/**
 * Sessions past their absolute lifetime. Their ids grow with time, so the old ones are a range at the
 * start of the primary key; `created_at` decides, the range only bounds the read.
 */
const endedSessions = (db: Db, cut: PurgeCutoffs): Kind => ({
  table: 'sessions', key: 'id',
  ended: db.selectFrom('sessions').select('id')
    .where('id', '<', firstIdAt(cut.sessionsCreatedBefore)).where('created_at', '<', cut.sessionsCreatedBefore).orderBy('id'),
});

/** Emailed and texted codes, long expired: the same range of ids as sessions. */
const endedSentCodes = (db: Db, cut: PurgeCutoffs): Kind => ({
  table: 'sent_codes', key: 'id',
  ended: db.selectFrom('sent_codes').select('id')
    .where('id', '<', firstIdAt(cut.sentCodesCreatedBefore)).where('created_at', '<', cut.sentCodesCreatedBefore).orderBy('id'),
});

/**
 * Factors begun in a set-up or from a session and never confirmed: their sealed secrets go once no
 * set-up could still confirm them. Only factors being set up name one, and that column is indexed.
 * `>= ''` holds for every text and not for NULL, like `IS NOT NULL`, but SQLite reads it through the
 * index without statistics.
 */
const abandonedFactors = (db: Db, cut: PurgeCutoffs): Kind => ({
  table: 'factors', key: 'id',
  ended: db.selectFrom('factors').select('id')
    .where('setup_transaction_id', '>=', '').where('active', '=', 0).where('created_at', '<', cut.pendingFactorsCreatedBefore),
});

/** Push requests a day after they were made (the fatigue rule reads the last half hour only), through their time's index. */
const endedPushRequests = (db: Db, cut: PurgeCutoffs): Kind => ({
  table: 'push_requests', key: 'id',
  ended: db.selectFrom('push_requests').select('id').where('created_at', '<', cut.sentCodesCreatedBefore).orderBy('created_at'),
});

/** Pairing links a day after they expired, used or not (one per push factor being set up: a small table). */
const expiredPairings = (db: Db, cut: PurgeCutoffs): Kind => ({
  table: 'push_pairings', key: 'token_hash',
  ended: db.selectFrom('push_pairings').select('token_hash').where('expires_at', '<', cut.linksExpiredBefore),
});

/** Password-reset links that expired unused (a member has at most one: the table stays small). */
const expiredResetLinks = (db: Db, cut: PurgeCutoffs): Kind => ({
  table: 'password_resets', key: 'member_id',
  ended: db.selectFrom('password_resets').select('member_id').where('expires_at', '<', cut.linksExpiredBefore),
});

/** Attempts counted by a rate limit longer ago than any window counts. */
const spentRateLimitHits = (db: Db, cut: PurgeCutoffs): Kind => ({
  table: 'rate_limit_hits', key: 'id',
  ended: db.selectFrom('rate_limit_hits').select('id').where('counted_at', '<', cut.rateLimitWindowsStartedBefore).orderBy('counted_at'),
});

/** Rate-limited keys that counted nothing for longer than any window: none of their attempts still counts. */
const spentRateLimits = (db: Db, cut: PurgeCutoffs): Kind => ({
  table: 'rate_limits', key: 'key',
  ended: db.selectFrom('rate_limits').select('key').where('last_counted_at', '<', cut.rateLimitWindowsStartedBefore).orderBy('last_counted_at'),
});

/**
 * Factors and recovery codes of an epoch the organization has left (a new primary method reset
 * everyone): they can never count again, since epochs only grow. A member's go when they set up
 * again; these are the members who have not. A factor still being paired from a session is left to
 * {@link abandonedFactors}: confirming it moves it to the current epoch.
 */
async function purgeStaleEpochs(db: Db, purge: (kind: Kind) => Promise<number>): Promise<{ factors: number; recoveryCodes: number }> {
  let factors = 0;
  let recoveryCodes = 0;
  for (const { id, two_step_epoch: epoch } of await db.selectFrom('organizations').select(['id', 'two_step_epoch']).execute()) {
    factors += await purge({
      table: 'factors', key: 'id',
      ended: db.selectFrom('factors').select('id')
        .where('organization_id', '=', id).where('epoch', '<', epoch).where('setup_transaction_id', 'is', null),
    });
    recoveryCodes += await purge({
      table: 'recovery_codes', key: 'id',
      ended: db.selectFrom('recovery_codes').select('id').where('organization_id', '=', id).where('epoch', '<', epoch),
    });
  }
  return { factors, recoveryCodes };
}

/**
 * Audit events older than their organization keeps them (its `audit_retention_days`), oldest first,
 * through the organization's time-ordered index.
 */
async function purgeOldAuditEvents(db: Db, now: Date, purge: (kind: Kind) => Promise<number>): Promise<number> {
  let deleted = 0;
  for (const { id, audit_retention_days: days } of await db.selectFrom('organizations').select(['id', 'audit_retention_days']).execute()) {
    deleted += await purge({
      table: 'audit_events', key: 'id',
      ended: db.selectFrom('audit_events').select('id')
        .where('organization_id', '=', id).where('at', '<', auditEventsRecordedBefore(now, days)).orderBy('at'),
    });
  }
  return deleted;
}

/** Deletes `kind`'s ended rows a batch at a time, until a batch comes back short. */
async function purgeKind(db: Db, kind: Kind, skipLocked: boolean, stopping: () => boolean): Promise<number> {
  const chosen = kind.ended.limit(PURGE_BATCH);
  // SQLite has one writer and no row locks: a batch there never meets a request's rows half-changed.
  const batch = sql`delete from ${sql.table(kind.table)} where ${sql.ref(kind.key)} in (${skipLocked ? chosen.forUpdate().skipLocked() : chosen})`;
  let total = 0;
  for (;;) {
    if (stopping()) return total;
    const deleted = Number((await batch.execute(db)).numAffectedRows ?? 0);
    total += deleted;
    if (deleted < PURGE_BATCH) return total;
    // Requests waiting meanwhile go before the next batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
