/**
 * What `GET /api/v1/me` tells a member of themselves, as database columns: the member, their
 * organization's settings, whether their technician group enforces two-step verification, and their
 * factors that count now, one row per factor (one row with no factor when they have none), oldest
 * first. Read by the member's id, or by the guard together with the session (sessions.ts), so the
 * request the website and the Technician Console make most often costs one query.
 */
import type { Db } from '../../storage/database.ts';
import { activeInOrganizationEpoch } from '../../storage/factorStates.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';

/** Besides every column of `organizations`. */
export const MEMBER_PROFILE_COLUMNS = [
  'members.id as member_id', 'members.name as member_name', 'members.email', 'members.role', 'members.technician_group_id',
  'members.must_change_password', 'members.password_changed_at', 'members.created_at as member_created_at', 'members.language',
  'technician_groups.enforce_two_step as group_enforces',
  'factors.id as factor_id', 'factors.type as factor_type', 'factors.label as factor_label', 'factors.locked_until as factor_locked_until',
  'factors.locked_until_reset as factor_locked_until_reset', 'factors.created_at as factor_created_at',
] as const;

const memberProfileById = prepareQuery((db, p: { id: string }) => db.selectFrom('members')
  .innerJoin('organizations', 'organizations.id', 'members.organization_id')
  .leftJoin('technician_groups', 'technician_groups.id', 'members.technician_group_id')
  .leftJoin('factors', activeInOrganizationEpoch)
  .selectAll('organizations')
  .select(MEMBER_PROFILE_COLUMNS)
  .where('members.id', '=', p.id)
  .orderBy('factors.created_at').orderBy('factors.id'));

export type MemberProfileRow = NonNullable<Awaited<ReturnType<typeof memberProfileById.first>>>;

export async function readMemberProfile(db: Db, memberId: string): Promise<MemberProfileRow[]> {
  return (await memberProfileById.execute(db, { id: memberId })).rows;
}
