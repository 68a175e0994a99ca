import { sql, type Kysely } from 'kysely';

/**
 * Every rate limit slides: each counted attempt becomes a row of `rate_limit_hits` with its time, and
 * a limit counts the rows of the last window, so a burst across a fixed window's edge no longer gets
 * twice the limit through. `rate_limits` keeps one row per key, which orders parallel attempts on that
 * key and says when it last counted one (for housekeeping); its counter goes.
 *
 * The counts of the windows open now carry over as that many attempts at their window's start (at most
 * 100, the largest limit), so a lock in force at the upgrade stays until its window would have ended.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('rate_limit_hits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('counted_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_hits_key').on('rate_limit_hits').columns(['key', 'counted_at']).execute();
  await db.schema.createIndex('rate_limit_hits_counted').on('rate_limit_hits').column('counted_at').execute();

  await sql`
    with recursive attempt(n) as (select 1 union all select n + 1 from attempt where n < 100)
    insert into rate_limit_hits (id, key, counted_at)
    select rate_limits.key || '#' || attempt.n, rate_limits.key, rate_limits.window_start
    from rate_limits join attempt on attempt.n <= rate_limits.count`.execute(db);

  await db.schema.dropIndex('rate_limits_window').execute();
  await db.schema.alterTable('rate_limits').dropColumn('count').execute();
  await db.schema.alterTable('rate_limits').renameColumn('window_start', 'last_counted_at').execute();
  await db.schema.createIndex('rate_limits_last_counted').on('rate_limits').column('last_counted_at').execute();
}
