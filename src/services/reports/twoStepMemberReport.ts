/**
 * The two-step verification status of every member the caller may see, one row each: required, set
 * up, must set up again, locked (a factor or the password), with the member's group path. Filtered by technician group (with its
 * subgroups), role and state; read in keyset batches over (created_at, id) on the members_org index,
 * so a page costs one batch and the CSV of 100,000 members streams with flat memory.
 *
 * A report reads; it spans several statements without a transaction, like any paged listing: a row
 * changed while it streams shows as it was when its batch was read.
 */
import { csvCell, csvLine } from '../../core/csv.ts';
import { TwofoldError } from '../../core/errors.ts';
import { withDescendants } from '../../core/groupTree.ts';
import { mustUseTwoStep } from '../../core/mustUseTwoStep.ts';
import { hasUsableFactor, mustSetUpAgain } from '../../core/switchedOff.ts';
import { decodeCursor, encodeCursor, keysetCondition, pageSize, type CursorPosition, type Page, type PageParams } from '../access/pagination.ts';
import { loadPermissionActor } from '../access/permissionActor.ts';
import type { Actor, Context } from '../context.ts';
import { passwordLockedMembers } from '../signIn/passwordAttempts.ts';
import { isFactorLocked, rolesOf } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';

export const REPORT_ROLES = ['master_administrator', 'administrator', 'technician'] as const;
export type ReportRole = (typeof REPORT_ROLES)[number];
export const REPORT_STATES = ['required', 'set_up', 'not_set_up', 'required_not_set_up', 'must_set_up_again', 'locked'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export interface TwoStepReportFilters {
  readonly technicianGroupId?: string | undefined;
  readonly role?: ReportRole | undefined;
  readonly state?: ReportState | undefined;
}

export interface TwoStepReportRow {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: ReportRole;
  readonly enabled: boolean;
  /** The member's technician group and its ancestors, from the root; empty without a technician license. */
  readonly groupPath: Array<{ id: string; name: string }>;
  readonly required: boolean;
  readonly setUp: boolean;
  /** Required, and every method they set up has since been switched off: the next sign-in sets one up again. */
  readonly mustSetUpAgain: boolean;
  /** Locked out: a factor locked after wrong codes, or the password after wrong passwords (as the member search's `locked`). */
  readonly locked: boolean;
}

/**
 * Members per read of the CSV: fewer, larger reads cost less per row (two statements, two round trips
 * to PostgreSQL) while one batch's rows and text stay a few megabytes.
 */
const CSV_BATCH = 5_000;

type Batch = (after: CursorPosition | null, size: number) => Promise<BatchRows>;
type BatchRows = Array<TwoStepReportRow & { position: CursorPosition }>;

/** Checks the caller and the filters once, and returns a reader of batches in (created_at, id) order. */
export async function openTwoStepReport(ctx: Context, actor: Actor, filters: TwoStepReportFilters): Promise<Batch> {
  const permissions = await loadPermissionActor(ctx.db, actor);
  if (permissions.role === null) throw new TwofoldError('forbidden', 'Only administrators can see reports.');
  const master = permissions.role === 'master_administrator';
  const [policy, groups, lockedPasswords] = await Promise.all([
    loadOrganizationPolicy(ctx.db, actor.organizationId),
    ctx.db.selectFrom('technician_groups').select(['id', 'name', 'parent_id as parentId', 'enforce_two_step'])
      .where('organization_id', '=', actor.organizationId).execute(),
    passwordLockedMembers(ctx.db, ctx.clock()).execute().then((rows) => new Set(rows.map((r) => r.member_id))),
  ]);
  const byId = new Map(groups.map((g) => [g.id, g]));
  const visible = (id: string) => master || permissions.managedGroupIds.has(id);
  let inGroups: string[] | null = master ? null : [...permissions.managedGroupIds];
  if (filters.technicianGroupId !== undefined) {
    if (!byId.has(filters.technicianGroupId) || !visible(filters.technicianGroupId)) {
      throw new TwofoldError('not_found', 'No such technician group.', { field: 'technicianGroupId' });
    }
    inGroups = [...withDescendants([filters.technicianGroupId], groups)];
  }
  // Each group's path is walked once, however many members it holds.
  const paths = new Map<string, Array<{ id: string; name: string }>>();
  const pathOf = (groupId: string | null) => {
    if (groupId === null) return [];
    let path = paths.get(groupId);
    if (!path) {
      path = [];
      for (let g = byId.get(groupId); g && path.length <= byId.size; g = g.parentId === null ? undefined : byId.get(g.parentId)) {
        path.unshift({ id: g.id, name: g.name });
      }
      paths.set(groupId, path);
    }
    return path;
  };
  const allowed = policy.twoStep.allowedMethods;

  return async (after, size) => {
    if (inGroups !== null && inGroups.length === 0) return [];
    let q = ctx.db.selectFrom('members').select(['id', 'name', 'email', 'role', 'technician_group_id', 'enabled', 'created_at'])
      .where('organization_id', '=', actor.organizationId);
    if (inGroups !== null) q = q.where('technician_group_id', 'in', inGroups);
    if (filters.role === 'technician') q = q.where('role', 'is', null);
    else if (filters.role !== undefined) q = q.where('role', '=', filters.role);
    if (after) q = q.where(keysetCondition(['created_at', 'id'], [after.at, after.id], 'after'));
    const members = await q.orderBy('created_at').orderBy('id').limit(size).execute();
    if (members.length === 0) return [];
    // The batch's factors through the same keyset range of members, not a list of their ids: an `in`
    // list of thousands of parameters costs PostgreSQL more to plan than to run. Factors of members the
    // filters leave out of the range are read and not used.
    const last = members[members.length - 1]!;
    let factorQuery = ctx.db.selectFrom('members').innerJoin('factors', 'factors.member_id', 'members.id')
      .select(['factors.member_id', 'factors.type', 'factors.locked_until', 'factors.locked_until_reset'])
      .where('members.organization_id', '=', actor.organizationId)
      .where(keysetCondition(['members.created_at', 'members.id'], [last.created_at, last.id], 'upTo'))
      .where('factors.epoch', '=', policy.epoch).where('factors.active', '=', 1);
    if (after) factorQuery = factorQuery.where(keysetCondition(['members.created_at', 'members.id'], [after.at, after.id], 'after'));
    const factors = await factorQuery.execute();
    const now = ctx.clock();
    // Factors by member once per batch: filtering the batch's factors for each member costs batch².
    const byMember = new Map<string, typeof factors>();
    for (const f of factors) byMember.set(f.member_id, [...(byMember.get(f.member_id) ?? []), f]);
    return members.map((m) => {
      const own = byMember.get(m.id) ?? [];
      const group = m.technician_group_id === null ? undefined : byId.get(m.technician_group_id);
      const required = mustUseTwoStep(rolesOf(m), policy.twoStep, group?.enforce_two_step === 1);
      const methods = own.map((f) => f.type);
      return {
        id: m.id, name: m.name, email: m.email, role: (m.role ?? 'technician') as ReportRole, enabled: m.enabled === 1,
        // Set up and "must set up again" as the member's record and the member listing say them.
        groupPath: pathOf(m.technician_group_id), required, setUp: hasUsableFactor(methods, allowed),
        mustSetUpAgain: mustSetUpAgain({ required, methods }, allowed),
        locked: lockedPasswords.has(m.id) || own.some((f) => isFactorLocked(f, now)),
        position: { at: m.created_at, id: m.id },
      };
    });
  };
}

export function inState(row: TwoStepReportRow, state: ReportState | undefined): boolean {
  switch (state) {
    case undefined: return true;
    case 'required': return row.required;
    case 'set_up': return row.setUp;
    case 'not_set_up': return !row.setUp;
    case 'required_not_set_up': return row.required && !row.setUp;
    case 'must_set_up_again': return row.mustSetUpAgain;
    case 'locked': return row.locked;
  }
}

/** One page for the screen: batches are read until the page is full, as the state is known only per row. */
export async function twoStepMemberReportPage(ctx: Context, actor: Actor, query: TwoStepReportFilters & PageParams): Promise<Page<TwoStepReportRow>> {
  const size = pageSize(query.limit);
  let after = decodeCursor(query.cursor);
  const read = await openTwoStepReport(ctx, actor, query);
  const kept: Array<TwoStepReportRow & { position: CursorPosition }> = [];
  for (;;) {
    const batch = await read(after, Math.max(size + 1, 200));
    kept.push(...batch.filter((r) => inState(r, query.state)));
    if (kept.length > size || batch.length === 0) break;
    after = batch[batch.length - 1]!.position;
  }
  const page = kept.slice(0, size);
  return {
    items: page.map(({ position: _position, ...row }) => row),
    nextCursor: kept.length > size ? encodeCursor(page[page.length - 1]!.position) : null,
  };
}

export const TWO_STEP_CSV_HEADER = ['Name', 'Email', 'Role', 'Technician group', 'Enabled', 'Required', 'Set up', 'Must set up again', 'Locked'];

/**
 * The CSV download: the caller and filters are checked before the first byte (a refusal is still a
 * problem+json answer), then rows stream batch after batch, never holding more than two batches.
 */
export async function twoStepMemberReportCsv(ctx: Context, actor: Actor, filters: TwoStepReportFilters): Promise<AsyncGenerator<string>> {
  const read = await openTwoStepReport(ctx, actor, filters);
  // The cells every row repeats are quoted once: a role's, a yes or a no, and each group's path (the
  // groups are few, the members many). Only the name and email are quoted per row.
  const roleCells = Object.fromEntries(REPORT_ROLES.map((role) => [role, csvCell(ROLE_NAMES[role])])) as Record<ReportRole, string>;
  const yes = csvCell(true);
  const no = csvCell(false);
  const pathCells = new Map<string, string>();
  const pathCell = (path: TwoStepReportRow['groupPath']) => {
    const last = path[path.length - 1];
    if (last === undefined) return csvCell('');
    let cell = pathCells.get(last.id);
    if (cell === undefined) {
      cell = csvCell(path.map((g) => g.name).join(' / '));
      pathCells.set(last.id, cell);
    }
    return cell;
  };
  return (async function* lines() {
    yield csvLine(TWO_STEP_CSV_HEADER);
    let next: Promise<BatchRows> | null = read(null, CSV_BATCH);
    try {
      while (next) {
        const batch: BatchRows = await next;
        // The next batch is read while this one is written out: on PostgreSQL the database works on
        // it in its own process meanwhile. At most two batches are held.
        next = batch.length === CSV_BATCH ? read(batch[batch.length - 1]!.position, CSV_BATCH) : null;
        let text = '';
        for (const r of batch) {
          if (!inState(r, filters.state)) continue;
          // The same cells, in the same order, as TWO_STEP_CSV_HEADER.
          text += `${csvCell(r.name)},${csvCell(r.email)},${roleCells[r.role]},${pathCell(r.groupPath)},${r.enabled ? yes : no},`
            + `${r.required ? yes : no},${r.setUp ? yes : no},${r.mustSetUpAgain ? yes : no},${r.locked ? yes : no}\r\n`;
        }
        if (text !== '') yield text;
      }
    } finally {
      // A download stopped half-way (the client went away) leaves a read in flight: its failure, if
      // any, is nobody's to handle.
      next?.catch(() => {});
    }
  })();
}

const ROLE_NAMES: Record<ReportRole, string> = { master_administrator: 'Master administrator', administrator: 'Administrator', technician: 'Technician' };
