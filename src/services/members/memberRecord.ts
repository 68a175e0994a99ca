/**
 * A member as administrators see them: roles and licenses, assignments, status and two-step
 * verification, built for one member or a whole page with a fixed number of queries.
 */
import type { Role } from '../../core/model.ts';
import type { Db } from '../../storage/database.ts';
import type { MemberRow } from '../../storage/schema.ts';
import { passwordLocks } from '../signIn/passwordAttempts.ts';
import { recoveryLocks } from '../signIn/recoveryAttempts.ts';
import type { OrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { twoStepStatuses, type TwoStepStatus } from '../twoStep/status.ts';

export interface MemberRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly description: string;
  readonly role: Role | null;
  readonly technicianGroupId: string | null;
  readonly administratorGroupId: string | null;
  /** The technician groups an administrator is assigned to; [] for everyone else. */
  readonly assignedTechnicianGroupIds: string[];
  readonly enabled: boolean;
  readonly licenses: { readonly administrator: boolean; readonly technician: boolean };
  readonly masterAccountHolder: boolean;
  readonly createdAt: string;
  readonly lastSignInAt: string | null;
  readonly mustChangePassword: boolean;
  /** False until the member has a password: they were invited and have not accepted yet. */
  readonly passwordSet: boolean;
  /**
   * Set while too many wrong passwords lock the member's password (signing in refuses even the right
   * one): when the lock ends. Null when the password is not locked.
   */
  readonly passwordLock: { readonly lockedUntil: string } | null;
  /** Set while too many recovery codes were tried for the member (recovery is refused): when that ends. */
  readonly recoveryLock: { readonly lockedUntil: string } | null;
  /**
   * Set after the member reported a push request they did not make ("Deny and report"): push stays
   * refused until an administrator unlocks it, so the lock has a start and no end.
   */
  readonly pushLock: { readonly lockedAt: string } | null;
  readonly twoStepVerification: TwoStepStatus;
}

export const roleOf = (value: string | null): Role | null =>
  value === 'master_administrator' || value === 'administrator' ? value : null;

/** Records for a page of members of one organization, in the order given. */
/** A member's record, with the invitation just sent when they were invited to set their own password. */
export interface MemberWithInvitation extends MemberRecord {
  readonly invitation?: { readonly expiresAt: string; readonly sent: boolean };
}

export async function toMemberRecords(db: Db, rows: readonly MemberRow[], policy: OrganizationPolicy, now: Date): Promise<MemberRecord[]> {
  if (rows.length === 0) return [];
  const administrators = rows.filter((r) => r.role === 'administrator').map((r) => r.id);
  const [statuses, passwordLocked, recoveryLocked, pushLocked, assignments] = await Promise.all([
    twoStepStatuses(db, rows, policy, now),
    passwordLocks(db, rows.map((r) => r.id), now),
    recoveryLocks(db, rows.map((r) => r.id), now),
    db.selectFrom('push_locks').select(['member_id', 'locked_at']).where('member_id', 'in', rows.map((r) => r.id)).execute()
      .then((locks) => new Map(locks.map((lock) => [lock.member_id, lock.locked_at]))),
    administrators.length > 0
      ? db.selectFrom('administrator_assignments').select(['administrator_id', 'technician_group_id'])
        .where('administrator_id', 'in', administrators).orderBy('technician_group_id').execute()
      : Promise.resolve([]),
  ]);
  return rows.map((row) => {
    const role = roleOf(row.role);
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      description: row.description,
      role,
      technicianGroupId: row.technician_group_id,
      administratorGroupId: row.administrator_group_id,
      assignedTechnicianGroupIds: assignments.filter((a) => a.administrator_id === row.id).map((a) => a.technician_group_id),
      enabled: row.enabled === 1,
      licenses: { administrator: role !== null, technician: row.technician_group_id !== null },
      masterAccountHolder: policy.masterAccountHolderId === row.id,
      createdAt: new Date(row.created_at).toISOString(),
      lastSignInAt: row.last_sign_in_at === null ? null : new Date(row.last_sign_in_at).toISOString(),
      mustChangePassword: row.must_change_password === 1,
      passwordSet: row.password_hash !== null,
      passwordLock: passwordLocked.has(row.id) ? { lockedUntil: passwordLocked.get(row.id)!.toISOString() } : null,
      recoveryLock: recoveryLocked.has(row.id) ? { lockedUntil: recoveryLocked.get(row.id)!.toISOString() } : null,
      pushLock: pushLocked.has(row.id) ? { lockedAt: new Date(pushLocked.get(row.id)!).toISOString() } : null,
      twoStepVerification: statuses.get(row.id)!,
    };
  });
}

export async function toMemberRecord(db: Db, row: MemberRow, policy: OrganizationPolicy, now: Date): Promise<MemberRecord> {
  return (await toMemberRecords(db, [row], policy, now))[0]!;
}
