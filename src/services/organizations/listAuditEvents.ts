/** The audit trail, newest first, for master administrators (docs/product-behaviour.md "Reports": Audit, list all). */
import { TwofoldError } from '../../core/errors.ts';
import type { AuditEventRow } from '../../storage/schema.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { decodeCursor, keysetCondition, pageSize, toPage, type Page, type PageParams } from '../access/pagination.ts';
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
  /** The values before and after the change, when the event records a change (else null). */
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditQuery extends PageParams {
  /** Events about this entity (a member, a group, the organization). */
  readonly entityId?: string | undefined;
  /** Events requested by this member. */
  readonly memberId?: string | undefined;
  /** Who: the same as memberId, under the Audit report's name for it. */
  readonly actorId?: string | undefined;
  /** What: the change type (Add, Change, SignIn…). */
  readonly action?: string | undefined;
  /** Which kind of entity (technician, technician_group, settings…). */
  readonly entityType?: string | undefined;
  /** From this time on (inclusive), ISO 8601. */
  readonly from?: string | undefined;
  /** Before this time (exclusive), ISO 8601. */
  readonly to?: string | undefined;
}

/** A page of the organization's audit trail, newest first (master administrators only). */
export async function listAuditEvents(ctx: Context, actor: Actor, query: AuditQuery): Promise<Page<AuditEventRecord>> {
  const size = pageSize(query.limit);
  const before = decodeCursor(query.cursor);
  const from = instant(query.from, 'from');
  const to = instant(query.to, 'to');
  requireAllowed(await loadPermissionActor(ctx.db, actor), 'audit.read', organizationTarget(actor.organizationId));
  let q = ctx.db.selectFrom('audit_events').selectAll().where('organization_id', '=', actor.organizationId);
  if (query.entityId !== undefined) q = q.where('entity_id', '=', query.entityId);
  if (query.memberId !== undefined) q = q.where('actor_id', '=', query.memberId);
  if (query.actorId !== undefined) q = q.where('actor_id', '=', query.actorId);
  if (query.action !== undefined) q = q.where('change_type', '=', query.action);
  if (query.entityType !== undefined) q = q.where('entity_type', '=', query.entityType);
  if (from !== undefined) q = q.where('at', '>=', from);
  if (to !== undefined) q = q.where('at', '<', to);
  if (before) {
    q = q.where(keysetCondition(['at', 'id'], [before.at, before.id], 'before'));
  }
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(size + 1).execute();
  return toPage(rows, size, (r) => ({ at: r.at, id: r.id }), (kept) => kept.map(toAuditEventRecord));
}

/** An ISO 8601 time as epoch milliseconds; anything else is `validation_failed` naming the parameter. */
function instant(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TwofoldError('validation_failed', `${field} must be a date and time (ISO 8601).`, { errors: [{ field: `querystring/${field}`, message: 'not a date-time' }] });
  return ms;
}

function toAuditEventRecord(row: AuditEventRow): AuditEventRecord {
  const details = row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>);
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { id: row.actor_id, name: row.actor_name },
    entityType: row.entity_type,
    entityId: row.entity_id,
    entityName: row.entity_name,
    changeType: row.change_type,
    details,
    before: details?.before ?? null,
    after: details?.after ?? null,
  };
}
