import type { Kysely } from 'kysely';

/**
 * An invited member who must use two-step verification sets the password and the first factor in one
 * sign-in transaction: the transaction keeps which invitation it accepts (and, like a password change,
 * the new password's hash) until Activate spends the invitation and sets the password together.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transactions').addColumn('invitation_id', 'text').execute();
}
