/**
 * The audit trail: every security event and administrator change, with the reference product's
 * fields (who, entity type, entity id and name, change type, time) plus before/after values.
 */
import { newId } from '../crypto/tokens.ts';
import type { Db } from '../storage/database.ts';
import { prepareQuery } from '../storage/preparedQuery.ts';
import type { AuditEventRow } from '../storage/schema.ts';
import type { AuditActor } from './context.ts';

export type EntityType =
  | 'organization'
  | 'master_administrator'
  | 'administrator'
  | 'administrator_group'
  | 'technician_group'
  | 'technician'
  | 'member'
  | 'settings'
  | 'factor'
  | 'recovery_codes'
  | 'session';

export type ChangeType =
  | 'Add' | 'Delete' | 'Move' | 'Copy' | 'Assign' | 'Unassign' | 'Change' | 'View'
  | 'Enable' | 'Disable' | 'Reset' | 'SignIn' | 'SignInFailed' | 'SignOut' | 'Bind' | 'Remove' | 'Lock' | 'Import' | 'Use'
  /** A wrong second-factor or recovery code, counted against its transaction. */
  | 'VerifyFailed'
  /** A sign-in or password change ended by its fifth wrong code. */
  | 'TransactionFailed'
  /** A link to reset a forgotten password was emailed to the member. */
  | 'PasswordResetRequested'
  /** An administrator ended a member's password or factor locks before their time. */
  | 'Unlock'
  /** The member answered a push request "Deny and report": an alert for administrators; push is locked. */
  | 'PushReported';

export interface AuditEntry {
  readonly organizationId: string;
  readonly actor: AuditActor;
  readonly entityType: EntityType;
  readonly entityId: string;
  readonly entityName: string;
  readonly changeType: ChangeType;
  readonly details?: Record<string, unknown>;
}

const insertEvent = prepareQuery((db, p: AuditEventRow) => db.insertInto('audit_events').values({
  id: p.id, organization_id: p.organization_id, at: p.at, actor_id: p.actor_id, actor_name: p.actor_name, entity_type: p.entity_type,
  entity_id: p.entity_id, entity_name: p.entity_name, change_type: p.change_type, details: p.details, ip: p.ip,
}));

/** The row that records `entry` at `now`. */
export function auditEventRow(now: Date, entry: AuditEntry): AuditEventRow {
  return {
    id: newId(),
    organization_id: entry.organizationId,
    at: now.getTime(),
    actor_id: entry.actor.id,
    actor_name: entry.actor.name,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    entity_name: entry.entityName,
    change_type: entry.changeType,
    details: entry.details ? JSON.stringify(entry.details) : null,
    ip: entry.actor.ip ?? null,
  };
}

/** Records one event; call it inside the database transaction of the change it describes. */
export async function audit(db: Db, now: Date, entry: AuditEntry): Promise<void> {
  await insertEvent.execute(db, auditEventRow(now, entry));
}

export function memberEntityType(role: string | null): EntityType {
  if (role === 'master_administrator') return 'master_administrator';
  if (role === 'administrator') return 'administrator';
  return 'technician';
}
