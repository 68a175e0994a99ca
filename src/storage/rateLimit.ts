/**
 * A fixed-window counter kept in the database, so limits hold across requests racing in one
 * process and across several server processes. One upsert both counts and decides: never
 * read-then-write (ASVS 15.4.2).
 */
import { sql } from 'kysely';
import { LONGEST_RATE_LIMIT_WINDOW_MS } from '../core/retention.ts';
import type { Db } from './database.ts';
import { prepareQuery } from './preparedQuery.ts';

export interface RateLimitResult {
  readonly allowed: boolean;
  readonly count: number;
  /** Milliseconds until the window ends and the count starts again. */
  readonly retryAfterMs: number;
  /** When the current window began (epoch milliseconds): it names the window this hit counted in. */
  readonly windowStart: number;
}

// Compiled once: sign-in counts every attempt with it.
const upsertHit = prepareQuery((db, p: { key: string; nowMs: number; windowEdge: number }) => db
  .insertInto('rate_limits')
  .values({ key: p.key, window_start: p.nowMs, count: 1 })
  .onConflict((oc) =>
    oc.column('key').doUpdateSet({
      count: sql<number>`case when rate_limits.window_start <= ${p.windowEdge} then 1 else rate_limits.count + 1 end`,
      window_start: sql<number>`case when rate_limits.window_start <= ${p.windowEdge} then ${p.nowMs} else rate_limits.window_start end`,
    }),
  )
  .returning(['count', 'window_start']));

export async function hitRateLimit(
  db: Db,
  key: string,
  limit: number,
  windowMs: number,
  now: Date,
): Promise<RateLimitResult> {
  // Housekeeping deletes counts older than the longest window; a longer one would lose its count.
  if (windowMs > LONGEST_RATE_LIMIT_WINDOW_MS) throw new RangeError(`A rate-limit window may last at most ${LONGEST_RATE_LIMIT_WINDOW_MS} ms, not ${windowMs}`);
  const nowMs = now.getTime();
  const row = (await upsertHit.execute(db, { key, nowMs, windowEdge: nowMs - windowMs })).rows[0]!;
  const count = Number(row.count);
  return {
    allowed: count <= limit,
    count,
    retryAfterMs: Math.max(0, Number(row.window_start) + windowMs - nowMs),
    windowStart: Number(row.window_start),
  };
}

/** Forgets a key, e.g. a member's sign-in failures after a success. */
export async function clearRateLimit(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
