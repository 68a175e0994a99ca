import type { Kysely } from 'kysely';

/**
 * Indexes for lookups that read a whole table before, found by explaining every query the test
 * suite runs: each code sent retires the factor's earlier codes (`sent_codes` by factor); closing a
 * member's invitation links (`invitations` by member); deleting an administrator group, whose
 * members are checked first (`members` by administrator group). Each table grows with the
 * organization, and the first two are written on ordinary requests. Housekeeping finds the recovery
 * codes of an epoch the organization has left by organization and epoch.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('sent_codes_factor').on('sent_codes').column('factor_id').execute();
  await db.schema.createIndex('invitations_member').on('invitations').column('member_id').execute();
  await db.schema.createIndex('recovery_codes_org_epoch').on('recovery_codes').columns(['organization_id', 'epoch']).execute();
  await db.schema.createIndex('members_agroup').on('members').column('administrator_group_id').execute();
}
