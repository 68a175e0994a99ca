import type { Kysely } from 'kysely';

/**
 * A set-up opened for a member whose only factors are of a method the organization switched off
 * records whether it still waits for a proof of possession (`setup_proof`: null when none is needed,
 * `required`, then what gave it: `factor` or `recovery_code`), so the password alone never binds the
 * replacement. The member listing filters by technician group and by role in creation order: each
 * filter has an index that also gives that order, so a page is read without a sort.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transactions').addColumn('setup_proof', 'text').execute();
  await db.schema.createIndex('members_tgroup_created').on('members').columns(['technician_group_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('members_org_role_created').on('members').columns(['organization_id', 'role', 'created_at', 'id']).execute();
}
