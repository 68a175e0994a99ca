/**
 * Storage of a member's recovery codes (docs/security.md S10). A set is replaced whole, so a member holds
 * one list at a time; codes count only in the organization's current epoch, like factors; a code is
 * used by one conditional update, so two requests racing with the same code cannot both succeed.
 */
import { hashRecoveryCode, matchRecoveryCode, newRecoveryCodes } from '../../crypto/recoveryCodes.ts';
import { newId } from '../../crypto/tokens.ts';
import type { Db } from '../../storage/database.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';

export interface RecoveryCodeOwner {
  readonly memberId: string;
  readonly organizationId: string;
  /** The two-step epoch the new codes belong to. */
  readonly epoch: number;
}

/**
 * Deletes every code the member has, of any epoch, and stores a new set; returns the codes in
 * display form, for the caller to show once. Call inside the database transaction of the change.
 */
export async function replaceRecoveryCodes(db: Db, owner: RecoveryCodeOwner, now: Date): Promise<string[]> {
  await db.deleteFrom('recovery_codes').where('member_id', '=', owner.memberId).execute();
  const codes = newRecoveryCodes();
  await db.insertInto('recovery_codes').values(codes.map((code) => ({
    id: newId(),
    member_id: owner.memberId,
    organization_id: owner.organizationId,
    epoch: owner.epoch,
    code_hash: hashRecoveryCode(code),
    created_at: now.getTime(),
    used_at: null,
  }))).execute();
  return codes;
}

/** The member's unused codes in `epoch`: how many, and when the set was issued (null when none). */
const unusedCodes = prepareQuery((db, p: { memberId: string; epoch: number }) => db.selectFrom('recovery_codes')
  .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('created')])
  .where('member_id', '=', p.memberId).where('epoch', '=', p.epoch).where('used_at', 'is', null));

export async function recoveryCodesLeft(db: Db, memberId: string, epoch: number): Promise<{ remaining: number; createdAt: number | null }> {
  const row = await unusedCodes.first(db, { memberId, epoch });
  if (!row) throw new Error('an aggregate query returned no row');
  return { remaining: Number(row.n), createdAt: row.created === null ? null : Number(row.created) };
}

/**
 * Uses the member's code that `input` is, if it is one of their unused codes in `epoch`: true when
 * this request used it, false for a wrong code or one a parallel request used first. The check reads
 * and the use is one conditional update (`used_at IS NULL`) whose row count decides.
 */
export async function useRecoveryCode(db: Db, memberId: string, epoch: number, input: string, now: Date): Promise<boolean> {
  const unused = await db.selectFrom('recovery_codes').select(['id', 'code_hash'])
    .where('member_id', '=', memberId).where('epoch', '=', epoch).where('used_at', 'is', null)
    .orderBy('id').execute();
  const index = matchRecoveryCode(input, unused.map((c) => c.code_hash));
  if (index === null) return false;
  const used = await db.updateTable('recovery_codes').set({ used_at: now.getTime() })
    .where('id', '=', unused[index]!.id).where('used_at', 'is', null).executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}
