/**
 * Sliding-window limits kept in the database, so they hold across requests racing in one process and
 * across several server processes. Each counted attempt is a row of `rate_limit_hits`, and an attempt
 * is allowed while fewer than `limit` of its key's attempts lie in the last `windowMs`: no span of that
 * length ever holds more than `limit` of them, where a fixed window let twice the limit through around
 * the moment it started again. A refused attempt is not recorded, so a limit reached ends when the
 * oldest attempt it counted leaves the window, however often it is tried meanwhile.
 *
 * The key's row in `rate_limits` is written first: on PostgreSQL its row lock orders parallel attempts
 * on one key until their transaction ends (SQLite has one writer). The count and the insert are then
 * one conditional statement, and no other attempt on the key runs beside it: a statement alone would
 * not see the hits that parallel attempts have inserted and not yet committed (ASVS 15.4.2; never
 * read-then-write unguarded).
 */
import { expressionBuilder, sql, type Expression, type InsertResult, type SqlBool } from 'kysely';
import { LONGEST_RATE_LIMIT_WINDOW_MS } from '../core/retention.ts';
import { newId } from '../crypto/tokens.ts';
import type { Db } from './database.ts';
import { prepareQuery, type PreparedQuery } from './preparedQuery.ts';
import type { Database } from './schema.ts';

export interface RateLimitResult {
  readonly allowed: boolean;
  /** Milliseconds until an attempt would be allowed again (0 when this one was). */
  readonly retryAfterMs: number;
  /** The attempt counted, to give back with {@link giveBackHit}; null when it was refused. */
  readonly hitId: string | null;
}

// Compiled once: sign-in counts every attempt with them.
const lockKey = prepareQuery((db, p: { key: string; nowMs: number }) => db
  .insertInto('rate_limits').values({ key: p.key, last_counted_at: p.nowMs })
  .onConflict((oc) => oc.column('key').doUpdateSet({ last_counted_at: sql<number>`excluded.last_counted_at` })));

type LimitingHitQuery = PreparedQuery<{ key: string; since: number }, { counted_at: number }>;
type HitUnderLimitQuery = PreparedQuery<{ id: string; key: string; nowMs: number; since: number }, InsertResult>;
const limitingHits = new Map<number, LimitingHitQuery>();
const hitsUnderLimit = new Map<number, HitUnderLimitQuery>();

/** The attempts of `key` in the window from `since`, newest first, from the `limit`-th on: while there is one, the limit is reached. */
function limitingHitsOf(db: Db, limit: number, key: string, since: number) {
  return db.selectFrom('rate_limit_hits as limiting').select('limiting.counted_at')
    .where('limiting.key', '=', key).where('limiting.counted_at', '>', since)
    .orderBy('limiting.counted_at', 'desc').limit(1).offset(limit - 1);
}

/**
 * The `limit`-th most recent attempt still in the window. One query per limit (the limits are the
 * code's own few constants), with its offset written into the SQL: on SQLite a bound offset would
 * have the statement planned again at every run (storage/sqliteQueryCompiler.ts).
 */
function limitingHit(limit: number): LimitingHitQuery {
  let query = limitingHits.get(limit);
  if (!query) {
    query = prepareQuery((db, p: { key: string; since: number }) => limitingHitsOf(db, limit, p.key, p.since));
    limitingHits.set(limit, query);
  }
  return query;
}

/**
 * Records an attempt under `key` only while fewer than `limit` of its attempts lie in the window: the
 * count and the insert in one statement, one round trip instead of two. The values are cast so that
 * PostgreSQL types the select's parameters as the columns they fill.
 */
function hitUnderLimit(limit: number): HitUnderLimitQuery {
  let query = hitsUnderLimit.get(limit);
  if (!query) {
    query = prepareQuery((db, p: { id: string; key: string; nowMs: number; since: number }) => db
      .insertInto('rate_limit_hits').columns(['id', 'key', 'counted_at'])
      .expression(db.selectNoFrom([
        sql<string>`cast(${p.id} as text)`.as('id'), sql<string>`cast(${p.key} as text)`.as('key'), sql<number>`cast(${p.nowMs} as bigint)`.as('counted_at'),
      ]).where((eb) => eb.not(eb.exists(limitingHitsOf(db, limit, p.key, p.since))))));
    hitsUnderLimit.set(limit, query);
  }
  return query;
}

const deleteHit = prepareQuery((db, p: { id: string }) => db.deleteFrom('rate_limit_hits').where('id', '=', p.id));

const deleteHitsOfKey = prepareQuery((db, p: { key: string }) => db.deleteFrom('rate_limit_hits').where('key', '=', p.key));

const deleteHitAndHitsOfKey = prepareQuery((db, p: { id: string; key: string }) => db.deleteFrom('rate_limit_hits')
  .where((eb) => eb.or([eb('id', '=', p.id), eb('key', '=', p.key)])));

/**
 * Counts an attempt under `key` unless `limit` attempts were already counted in the last `windowMs`.
 * Runs in `db`'s transaction, or in one of its own; the key stays locked until that transaction ends,
 * so a caller counting under several keys must take them in one order everywhere.
 */
export async function hitRateLimit(db: Db, key: string, limit: number, windowMs: number, now: Date): Promise<RateLimitResult> {
  // Housekeeping deletes attempts older than the longest window; a longer one would lose its count.
  if (windowMs > LONGEST_RATE_LIMIT_WINDOW_MS) throw new RangeError(`A rate-limit window may last at most ${LONGEST_RATE_LIMIT_WINDOW_MS} ms, not ${windowMs}`);
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A rate limit allows at least one attempt, not ${limit}`);
  if (!db.isTransaction) return db.transaction().execute((trx) => hitRateLimit(trx, key, limit, windowMs, now));
  const nowMs = now.getTime();
  await lockKey.execute(db, { key, nowMs });
  const hitId = newId();
  const since = nowMs - windowMs;
  if (await hitUnderLimit(limit).affected(db, { id: hitId, key, nowMs, since }) === 1) return { allowed: true, retryAfterMs: 0, hitId };
  // Refused: when the attempt that reached the limit leaves the window. The key's lock is still held,
  // so it is the same attempt the insert saw.
  const limiting = await limitingHit(limit).first(db, { key, since });
  if (!limiting) throw new Error(`Rate limit on ${key}: an attempt was refused with no attempt at its limit`);
  return { allowed: false, retryAfterMs: Math.max(1, Number(limiting.counted_at) + windowMs - nowMs), hitId: null };
}

/**
 * Writes `key`'s row as an attempt would, counting nothing: for a path that must take the time a
 * write takes, like another path beside it, without spending an attempt of the limit.
 */
export async function touchRateLimit(db: Db, key: string, now: Date): Promise<void> {
  await lockKey.execute(db, { key, nowMs: now.getTime() });
}

/**
 * When the limit on `key` lets an attempt through again, or null when it does now: what a record shows
 * of a lock, read without counting anything.
 */
export async function rateLimitedUntil(db: Db, key: string, limit: number, windowMs: number, now: Date): Promise<Date | null> {
  const limiting = await limitingHit(limit).first(db, { key, since: now.getTime() - windowMs });
  return limiting ? new Date(Number(limiting.counted_at) + windowMs) : null;
}

/**
 * {@link rateLimitedUntil} for several keys in one query (a page of member records): the keys whose
 * limit is reached, with when each lets an attempt through again.
 */
export async function rateLimitedUntilByKey(db: Db, keys: readonly string[], limit: number, windowMs: number, now: Date): Promise<Map<string, Date>> {
  const result = new Map<string, Date>();
  if (keys.length === 0) return result;
  const hits = await db.selectFrom('rate_limit_hits').select(['key', 'counted_at'])
    .where('key', 'in', [...keys]).where('counted_at', '>', now.getTime() - windowMs)
    .orderBy('key').orderBy('counted_at', 'desc').execute();
  const byKey = new Map<string, number[]>();
  for (const hit of hits) byKey.set(hit.key, [...byKey.get(hit.key) ?? [], Number(hit.counted_at)]);
  for (const [key, times] of byKey) {
    // Newest first: the `limit`-th of them decides, as in hitRateLimit.
    if (times.length >= limit) result.set(key, new Date(times[limit - 1]! + windowMs));
  }
  return result;
}

/**
 * {@link rateLimitedUntil}'s rule as a SQL condition on `key`, an expression of the outer query (a
 * key built from each row's id): true where that key's limit is reached now, so a listing can filter
 * on it. The same `limit`-th most recent attempt in the window decides, as in hitRateLimit.
 */
export function rateLimitReached(key: Expression<string>, limit: number, windowMs: number, now: Date): Expression<SqlBool> {
  const eb = expressionBuilder<Database, never>();
  return eb.exists(eb.selectFrom('rate_limit_hits as limiting').select('limiting.id')
    .where('limiting.key', '=', key).where('limiting.counted_at', '>', now.getTime() - windowMs)
    .orderBy('limiting.counted_at', 'desc').limit(1).offset(limit - 1));
}

/** Uncounts one attempt (it was never tried, or the right password gave the address its count back). */
export async function giveBackHit(db: Db, hitId: string): Promise<void> {
  await deleteHit.execute(db, { id: hitId });
}

/**
 * {@link giveBackHit} and {@link clearRateLimit} in one statement: a right password gives its
 * address the attempt back and forgets the member's wrong ones. Without a hit, only the clearing.
 */
export async function giveBackHitAndClear(db: Db, hitId: string | null, key: string): Promise<void> {
  if (hitId === null) await clearRateLimit(db, key);
  else await deleteHitAndHitsOfKey.execute(db, { id: hitId, key });
}

/** Forgets a key's attempts, e.g. a member's wrong passwords after a right one. */
export async function clearRateLimit(db: Db, key: string): Promise<void> {
  // Prepared: every right password clears its member's failures.
  await deleteHitsOfKey.execute(db, { key });
}
