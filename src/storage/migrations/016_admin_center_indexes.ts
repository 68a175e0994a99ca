import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Indexes for the Admin Center's lists at 100,000 members, each read a page at a time:
 * - a group's children by name then id (the lazy tree's keyset pages);
 * - group names, member names and member emails by lower-cased prefix (searching the tree while
 *   typing). PostgreSQL compares with the database's collation, where `LIKE 'abc%'` can use an
 *   index only with `text_pattern_ops`; SQLite is searched by a range on the same expression;
 * - members by role, for the administrators' section and report;
 * - audit events by who, what and which entity, newest first, for the Audit report's filters.
 *
 * Kysely's migrator runs each migration in a transaction on PostgreSQL, where CREATE INDEX
 * CONCURRENTLY cannot run: the indexes are built normally, locking writes to each table while built
 * (docs/performance.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const prefix = (expression: RawBuilder<unknown>) => postgres ? sql`${expression} text_pattern_ops` : expression;

  await db.schema.createIndex('technician_groups_children').on('technician_groups').columns(['organization_id', 'parent_id', 'name', 'id']).execute();
  await sql`create index technician_groups_name_prefix on technician_groups (organization_id, ${prefix(sql`(lower(name))`)})`.execute(db);
  await sql`create index members_name_prefix on members (organization_id, ${prefix(sql`(lower(name))`)})`.execute(db);
  await sql`create index members_email_prefix on members (organization_id, ${prefix(sql`email`)})`.execute(db);
  await db.schema.createIndex('members_org_role').on('members').columns(['organization_id', 'role', 'name', 'id']).execute();
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['organization_id', 'actor_id', 'at', 'id']).execute();
  await db.schema.createIndex('audit_events_entity').on('audit_events').columns(['organization_id', 'entity_id', 'at', 'id']).execute();
  await db.schema.createIndex('audit_events_change').on('audit_events').columns(['organization_id', 'change_type', 'at', 'id']).execute();
}
