/** The audit trail, newest first, for master administrators (docs/product-behaviour.md "Reports": Audit, list all). */
import type { AuditEventRow } from '../../storage/schema.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { decodeCursor, pageSize, toPage, type Page, type PageParams } from '../access/pagination.ts';
import type { Actor, Context } from '../context.ts';

export interface AuditEventRecord {
  readonly id: string;
  readonly at: string;
  /** Who requested the change; `id` is null for the system (sign-in, the command line). */
  readonly actor: { readonly id: string | null; readonly name: string };
  readonly entityType: string;
  readonly entityId: string;
  readonly entityName: string;
  readonly changeType: string;
  readonly details: Record<string, unknown> | null;
}

export interface AuditQuery extends PageParams {
  /** Events about this entity (a member, a group, the organization). */
  readonly entityId?: string | undefined;
  /** Events requested by this member. */
  readonly memberId?: string | undefined;
}

/** A page of the organization's audit trail, newest first (master administrators only). */
export async function listAuditEvents(ctx: Context, actor: Actor, query: AuditQuery): Promise<Page<AuditEventRecord>> {
  const size = pageSize(query.limit);
  const before = decodeCursor(query.cursor);
  requireAllowed(await loadPermissionActor(ctx.db, actor), 'audit.read', organizationTarget(actor.organizationId));
  let q = ctx.db.selectFrom('audit_events').selectAll().where('organization_id', '=', actor.organizationId);
  if (query.entityId !== undefined) q = q.where('entity_id', '=', query.entityId);
  if (query.memberId !== undefined) q = q.where('actor_id', '=', query.memberId);
  if (before) {
    q = q.where((eb) => eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]));
  }
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(size + 1).execute();
  return toPage(rows, size, (r) => ({ at: r.at, id: r.id }), (kept) => kept.map(toAuditEventRecord));
}

function toAuditEventRecord(row: AuditEventRow): AuditEventRecord {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { id: row.actor_id, name: row.actor_name },
    entityType: row.entity_type,
    entityId: row.entity_id,
    entityName: row.entity_name,
    changeType: row.change_type,
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
  };
}
