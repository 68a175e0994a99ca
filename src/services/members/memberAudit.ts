/** The audit events of one member update: one event per kind of change, each with before and after. */
import type { Kysely } from 'kysely';
import type { Role } from '../../core/model.ts';
import type { Database, MemberRow } from '../../storage/schema.ts';
import { audit, memberEntityType, type AuditEntry } from '../audit.ts';
import type { Actor } from '../context.ts';
import type { MemberChanges } from './memberChanges.ts';

export interface Placement {
  readonly role: Role | null;
  readonly technicianGroupId: string | null;
  readonly administratorGroupId: string | null;
}

export async function auditMemberChanges(
  trx: Kysely<Database>, now: Date, actor: Actor, member: MemberRow, changes: MemberChanges,
  placement: Placement, assignedBefore: readonly string[], mustChangePassword: boolean,
): Promise<void> {
  const base = {
    organizationId: member.organization_id, actor, entityType: memberEntityType(placement.role),
    entityId: member.id, entityName: changes.name ?? member.name,
  } as const;
  const record = (changeType: AuditEntry['changeType'], details: Record<string, unknown>) => audit(trx, now, { ...base, changeType, details });

  const profile = (['name', 'email', 'description'] as const).filter((k) => changes[k] !== undefined);
  if (profile.length > 0) {
    await record('Change', {
      before: Object.fromEntries(profile.map((k) => [k, member[k]])),
      after: Object.fromEntries(profile.map((k) => [k, changes[k]])),
    });
  }
  // The password itself is never recorded, only that an administrator set one.
  if (changes.password !== undefined) await record('Change', { password: 'set', mustChangePassword });
  if (placement.role !== member.role) await record('Change', { before: { role: member.role }, after: { role: placement.role } });
  if (placement.technicianGroupId !== member.technician_group_id) {
    await record('Move', { before: { technicianGroupId: member.technician_group_id }, after: { technicianGroupId: placement.technicianGroupId } });
  }
  if (placement.administratorGroupId !== member.administrator_group_id) {
    await record('Move', { before: { administratorGroupId: member.administrator_group_id }, after: { administratorGroupId: placement.administratorGroupId } });
  }
  if (changes.enabled !== undefined) await record(changes.enabled ? 'Enable' : 'Disable', { before: { enabled: !changes.enabled }, after: { enabled: changes.enabled } });

  const assignedAfter = placement.role !== 'administrator' ? [] : changes.assignedTechnicianGroupIds ?? assignedBefore;
  const added = assignedAfter.filter((g) => !assignedBefore.includes(g));
  const removed = assignedBefore.filter((g) => !assignedAfter.includes(g));
  if (added.length > 0) await record('Assign', { technicianGroupIds: added, before: assignedBefore, after: assignedAfter });
  if (removed.length > 0) await record('Unassign', { technicianGroupIds: removed, before: assignedBefore, after: assignedAfter });
}
