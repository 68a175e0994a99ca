/**
 * The Administrators section of the Organization Tree: master administrators, each administrator
 * group with its administrators and the technician groups they are assigned, and administrators in
 * no group. Master administrators see all of it; an administrator sees only themself, where they sit.
 * Administrators are few (one per many technicians), so this is one page; it reads members by role
 * through an index, never the technicians.
 */
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import type { Actor, Context } from '../context.ts';

interface Person { readonly id: string; readonly name: string; readonly email: string }

export interface TreeAdministrators {
  readonly masterAdministrators: Person[];
  readonly administratorGroups: Array<{ id: string; name: string; administrators: Person[]; technicianGroups: Array<{ id: string; name: string }> }>;
  readonly unassignedAdministrators: Person[];
}

export async function listTreeAdministrators(ctx: Context, actor: Actor): Promise<TreeAdministrators> {
  const permissions = await loadPermissionActor(ctx.db, actor);
  requireAllowed(permissions, 'group.list', organizationTarget(actor.organizationId));
  const master = permissions.role === 'master_administrator';

  let people = ctx.db.selectFrom('members').select(['id', 'name', 'email', 'role', 'administrator_group_id'])
    .where('organization_id', '=', actor.organizationId).where('role', 'in', ['master_administrator', 'administrator']);
  if (!master) people = people.where('id', '=', actor.id);
  const rows = await people.orderBy('name').orderBy('id').execute();
  const administrators = rows.filter((r) => r.role === 'administrator');
  const groupIds = [...new Set(administrators.flatMap((a) => a.administrator_group_id === null ? [] : [a.administrator_group_id]))];

  let adminGroups = ctx.db.selectFrom('administrator_groups').select(['id', 'name']).where('organization_id', '=', actor.organizationId);
  if (!master) adminGroups = adminGroups.where('id', 'in', groupIds.length > 0 ? groupIds : ['']);
  const [groups, assignments] = await Promise.all([
    adminGroups.orderBy('name').orderBy('id').execute(),
    administrators.length === 0 ? Promise.resolve([]) : ctx.db.selectFrom('administrator_assignments')
      .innerJoin('technician_groups', 'technician_groups.id', 'administrator_assignments.technician_group_id')
      .select(['administrator_assignments.administrator_id as administratorId', 'technician_groups.id', 'technician_groups.name'])
      .where('administrator_assignments.administrator_id', 'in', administrators.map((a) => a.id))
      .orderBy('technician_groups.name').orderBy('technician_groups.id').execute(),
  ]);

  const person = (r: { id: string; name: string; email: string }): Person => ({ id: r.id, name: r.name, email: r.email });
  return {
    masterAdministrators: rows.filter((r) => r.role === 'master_administrator').map(person),
    administratorGroups: groups.map((g) => {
      const inGroup = administrators.filter((a) => a.administrator_group_id === g.id);
      const ids = new Set(inGroup.map((a) => a.id));
      const technicianGroups = new Map<string, { id: string; name: string }>();
      for (const a of assignments) if (ids.has(a.administratorId)) technicianGroups.set(a.id, { id: a.id, name: a.name });
      return { id: g.id, name: g.name, administrators: inGroup.map(person), technicianGroups: [...technicianGroups.values()] };
    }),
    unassignedAdministrators: administrators.filter((a) => a.administrator_group_id === null).map(person),
  };
}
