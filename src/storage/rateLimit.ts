/**
 * A fixed-window counter kept in the database, so limits hold across requests racing in one
 * process and across several server processes. One upsert both counts and decides: never
 * read-then-write (ASVS 15.4.2).
 */
import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface RateLimitResult {
  readonly allowed: boolean;
  readonly count: number;
  /** Milliseconds until the window ends and the count starts again. */
  readonly retryAfterMs: number;
}

export async function hitRateLimit(
  db: Db,
  key: string,
  limit: number,
  windowMs: number,
  now: Date,
): Promise<RateLimitResult> {
  const nowMs = now.getTime();
  const windowEdge = nowMs - windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: nowMs, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when rate_limits.window_start <= ${windowEdge} then 1 else rate_limits.count + 1 end`,
        window_start: sql<number>`case when rate_limits.window_start <= ${windowEdge} then ${nowMs} else rate_limits.window_start end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  const count = Number(row.count);
  return {
    allowed: count <= limit,
    count,
    retryAfterMs: Math.max(0, Number(row.window_start) + windowMs - nowMs),
  };
}

/** Forgets a key, e.g. a member's sign-in failures after a success. */
export async function clearRateLimit(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
