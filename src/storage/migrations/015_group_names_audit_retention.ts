import { sql, type Kysely } from 'kysely';
import { renamedDuplicateSiblings } from '../../core/groupTree.ts';

/**
 * Sibling technician groups have different names, compared without case: a path such as
 * "Support/Tier 1" then names one group, and a list never shows two alike. Siblings that already
 * share a name keep the oldest as it is; each later one is renamed with a suffix (" (2)", " (3)"…),
 * before the unique index is made. The index folds case with the database's lower(), which on SQLite
 * folds ASCII letters only: the services compare the full folding (core/groupTree.ts groupNameKey)
 * under the organization's lock, and the index is what makes a race of two creates end in one group.
 * `coalesce(parent_id, '')` puts root groups under one parent: NULLs would never clash in an index.
 *
 * Each organization also chooses how many days audit events are kept (365 until it does), and
 * housekeeping deletes older ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ id: string; organization_id: string; parent_id: string | null; name: string }>`
    select id, organization_id, parent_id, name from technician_groups order by created_at, id`.execute(db);
  const renamed = renamedDuplicateSiblings(rows.map((g) => ({ id: g.id, name: g.name, siblingsKey: `${g.organization_id}/${g.parent_id ?? ''}` })));
  for (const [id, name] of renamed) {
    await sql`update technician_groups set name = ${name} where id = ${id}`.execute(db);
  }
  await sql`create unique index technician_groups_sibling_name
    on technician_groups (organization_id, (coalesce(parent_id, '')), (lower(name)))`.execute(db);

  await db.schema.alterTable('organizations')
    .addColumn('audit_retention_days', 'integer', (c) => c.notNull().defaultTo(365)).execute();
}
