/** Finding a member the caller may see, and describing a member to the permission rule. */
import { TwofoldError } from '../../core/errors.ts';
import { authorize, type MemberTarget, type PermissionActor } from '../../core/permissions.ts';
import type { Db } from '../../storage/database.ts';
import type { MemberRow } from '../../storage/schema.ts';
import { roleOf } from './memberRecord.ts';

export function memberTarget(
  row: Pick<MemberRow, 'id' | 'organization_id' | 'role' | 'technician_group_id'>,
  masterAccountHolderId: string | null,
): MemberTarget {
  return {
    kind: 'member',
    organizationId: row.organization_id,
    id: row.id,
    role: roleOf(row.role),
    technicianGroupId: row.technician_group_id,
    isMasterAccountHolder: row.id === masterAccountHolderId,
  };
}

/**
 * The member with this id in the caller's organization, if the caller may read them. Unknown,
 * foreign and out-of-reach ids are all `not_found`: an administrator learns nothing about members
 * outside their groups, not even that they exist.
 */
export async function findVisibleMember(
  db: Db, actor: PermissionActor, id: string, masterAccountHolderId: string | null, field = 'id',
): Promise<MemberRow> {
  const row = await db.selectFrom('members').selectAll()
    .where('id', '=', id).where('organization_id', '=', actor.organizationId).executeTakeFirst();
  if (!row || !authorize(actor, 'member.read', memberTarget(row, masterAccountHolderId))) {
    throw new TwofoldError('not_found', 'No such member.', { field });
  }
  return row;
}
