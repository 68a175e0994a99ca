import type { Kysely } from 'kysely';

/**
 * Work done after the answer (services/afterAnswer.ts) is kept in the database until it is done, so a
 * node that stops, cleanly or not, loses none of it: any node takes it up. A new table only, so nodes
 * of the previous version ignore it during a rolling upgrade.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('after_answer_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON, as its kind's handler reads it: never a secret (a link's token is made when the job runs).
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // Not taken before this time: a retry after a failure waits.
    .addColumn('not_before', 'bigint', (c) => c.notNull())
    // Taken by a node until this time; past it, a node that stopped half-way is taken over.
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('after_answer_jobs_due').on('after_answer_jobs').columns(['not_before', 'id']).execute();
}
