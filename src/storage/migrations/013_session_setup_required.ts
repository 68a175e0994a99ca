import type { Kysely } from 'kysely';

/**
 * When a session that passed the password alone was sent to set two-step verification up, because
 * its member must now use it. Kept, rather than worked out on each request, so the session stays held
 * even if the requirement is lifted again: it answers `two_step_setup_required` until it ends.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('setup_required_at', 'bigint').execute();
}
