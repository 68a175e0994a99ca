/**
 * The Administrator status report: for each master administrator and administrator, whether two-step
 * verification is required for them, whether it is set up and with which methods, their last
 * sign-in, and whether the account is enabled. Master administrators only (it lists every
 * administrator). Administrators are few; still it pages by (name, id) on the members_org_role index.
 */
import { keysetCondition } from '../access/pagination.ts';
import { csvLine } from '../../core/csv.ts';
import { TwofoldError } from '../../core/errors.ts';
import type { MethodId } from '../../core/model.ts';
import { mustUseTwoStep } from '../../core/mustUseTwoStep.ts';
import { methodDisplayName } from '../../methods/names.ts';
import { boundedLimit, decodeNameCursor, encodeNameCursor, type NamePosition } from '../access/nameCursor.ts';
import { loadPermissionActor } from '../access/permissionActor.ts';
import type { Actor, Context } from '../context.ts';
import { rolesOf } from '../twoStep/memberTwoStep.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';

export interface AdministratorStatus {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: 'master_administrator' | 'administrator';
  readonly administratorGroup: { id: string; name: string } | null;
  readonly required: boolean;
  readonly setUp: boolean;
  /** The methods of their active factors, in the order they were set up. */
  readonly methods: MethodId[];
  readonly lastSignInAt: string | null;
  readonly enabled: boolean;
}

type Read = (after: NamePosition | null, size: number) => Promise<AdministratorStatus[]>;

async function openAdministratorReport(ctx: Context, actor: Actor): Promise<Read> {
  const permissions = await loadPermissionActor(ctx.db, actor);
  if (permissions.role !== 'master_administrator') throw new TwofoldError('forbidden', 'Only master administrators can see the Administrator status report.');
  const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
  return async (after, size) => {
    let q = ctx.db.selectFrom('members')
      .leftJoin('administrator_groups', 'administrator_groups.id', 'members.administrator_group_id')
      .select(['members.id', 'members.name', 'members.email', 'members.role', 'members.technician_group_id', 'members.enabled', 'members.last_sign_in_at',
        'administrator_groups.id as groupId', 'administrator_groups.name as groupName'])
      .where('members.organization_id', '=', actor.organizationId).where('members.role', 'in', ['master_administrator', 'administrator']);
    if (after) q = q.where(keysetCondition(['members.name', 'members.id'], [after.name, after.id], 'after'));
    const rows = await q.orderBy('members.name').orderBy('members.id').limit(size).execute();
    if (rows.length === 0) return [];
    const groupIds = [...new Set(rows.flatMap((r) => (r.technician_group_id === null ? [] : [r.technician_group_id])))];
    const [factors, enforcing] = await Promise.all([
      ctx.db.selectFrom('factors').select(['member_id', 'type']).where('member_id', 'in', rows.map((r) => r.id))
        .where('epoch', '=', policy.epoch).where('active', '=', 1).orderBy('created_at').execute(),
      groupIds.length === 0 ? Promise.resolve([]) : ctx.db.selectFrom('technician_groups').select('id').where('id', 'in', groupIds).where('enforce_two_step', '=', 1).execute(),
    ]);
    const enforces = new Set(enforcing.map((g) => g.id));
    return rows.map((r) => {
      const methods = factors.filter((f) => f.member_id === r.id).map((f) => f.type as MethodId);
      return {
        id: r.id, name: r.name, email: r.email, role: r.role as AdministratorStatus['role'],
        administratorGroup: r.groupId !== null && r.groupName !== null ? { id: r.groupId, name: r.groupName } : null,
        // An administrator holding a technician license in an enforcing group is required as a technician too.
        required: mustUseTwoStep(rolesOf(r), policy.twoStep, r.technician_group_id !== null && enforces.has(r.technician_group_id)),
        setUp: methods.length > 0, methods,
        lastSignInAt: r.last_sign_in_at === null ? null : new Date(r.last_sign_in_at).toISOString(),
        enabled: r.enabled === 1,
      };
    });
  };
}

/** A page for the screen. */
export async function administratorStatusPage(ctx: Context, actor: Actor, query: { cursor?: string | undefined; limit?: string | undefined }): Promise<{ items: AdministratorStatus[]; nextCursor: string | null }> {
  const size = boundedLimit(query.limit, 100, 500);
  const after = decodeNameCursor(query.cursor);
  const rows = await (await openAdministratorReport(ctx, actor))(after, size + 1);
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > size && last ? encodeNameCursor(last) : null };
}

export const ADMINISTRATOR_CSV_HEADER = ['Name', 'Email', 'Role', 'Administrator group', 'Two-step verification required', 'Set up', 'Methods', 'Last sign-in', 'Enabled'];

/** The CSV download, checked before the first byte and streamed page by page. */
export async function administratorStatusCsv(ctx: Context, actor: Actor): Promise<AsyncGenerator<string>> {
  const read = await openAdministratorReport(ctx, actor);
  return (async function* lines() {
    yield csvLine(ADMINISTRATOR_CSV_HEADER);
    for (let after: NamePosition | null = null; ;) {
      const rows = await read(after, 500);
      if (rows.length > 0) {
        yield rows.map((r) => csvLine([
          r.name, r.email, r.role === 'master_administrator' ? 'Master administrator' : 'Administrator', r.administratorGroup?.name ?? '',
          r.required, r.setUp, r.methods.map(methodDisplayName).join('; '), r.lastSignInAt ?? '', r.enabled,
        ])).join('');
      }
      if (rows.length < 500) return;
      after = rows[rows.length - 1]!;
    }
  })();
}
