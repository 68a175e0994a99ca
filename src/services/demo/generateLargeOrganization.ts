/**
 * A large demo organization for trying the Admin Center at scale: `members` members in `groups`
 * technician groups nested up to {@link MAX_DEPTH} deep, administrator groups whose administrators are
 * assigned technician groups, and every tenth group enforcing two-step verification.
 *
 * Rows are written directly in large multi-row inserts inside one transaction per table: the use
 * cases hash a password and write an audit event per member, which at 100,000 members takes minutes.
 * The password is hashed once (by createOrganization, for the Master Account Holder) and that hash is
 * reused for every member, so all demo members share the demo password.
 */
import { newId } from '../../crypto/tokens.ts';
import type { NewMember } from '../../storage/schema.ts';
import type { Context } from '../context.ts';
import { createOrganization } from '../organizations/createOrganization.ts';

export const MAX_DEPTH = 8;
/** Rows per INSERT: 14 member columns × 1,000 stays under SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_INSERT = 1_000;
const FIRST_NAMES = ['Ada', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea', 'Max', 'Nia', 'Oto', 'Pia'];
const LAST_NAMES = ['Archer', 'Baker', 'Cruz', 'Diaz', 'Evans', 'Fox', 'Gray', 'Hale', 'Ito', 'Jones', 'Khan', 'Lund', 'Moss', 'Nagy'];

export interface LargeOrganizationInput {
  readonly members: number;
  readonly groups: number;
  readonly password: string;
  /** Makes the emails unique across runs. */
  readonly suffix: string;
}

export interface LargeOrganization {
  readonly organizationId: string;
  readonly masterEmail: string;
  readonly administratorEmail: string | null;
  readonly technicianEmail: string | null;
  readonly administrators: number;
  readonly technicians: number;
  readonly groups: number;
  readonly administratorGroups: number;
  readonly depth: number;
}

/**
 * The parent of each group, by index: a binary tree under `groups / 500` roots (at least one), and
 * once a branch is {@link MAX_DEPTH} deep, groups go under a shallower group instead, so the tree
 * fills out wide rather than deeper.
 */
export function groupParents(groups: number): { parents: Array<number | null>; depths: number[] } {
  const roots = Math.max(1, Math.ceil(groups / 500));
  const parents: Array<number | null> = [];
  const depths: number[] = [];
  const shallow: number[] = [];
  for (let i = 0; i < groups; i++) {
    let parent: number | null = null;
    if (i >= roots) {
      parent = Math.floor((i - roots) / 2);
      if (depths[parent]! >= MAX_DEPTH) parent = shallow[i % shallow.length]!;
    }
    const depth = parent === null ? 1 : depths[parent]! + 1;
    parents.push(parent);
    depths.push(depth);
    if (depth < MAX_DEPTH) shallow.push(i);
  }
  return { parents, depths };
}

export async function generateLargeOrganization(ctx: Context, input: LargeOrganizationInput): Promise<LargeOrganization> {
  const email = (local: string) => `${local}.${input.suffix}@demo.twofold.test`;
  const masterEmail = email('morgan');
  const org = await createOrganization(ctx, { organizationName: `Demo Support ${input.suffix}`, name: 'Morgan Master', email: masterEmail, password: input.password });
  const master = await ctx.db.selectFrom('members').select('password_hash').where('id', '=', org.memberId).executeTakeFirstOrThrow();
  const now = ctx.clock().getTime();
  const organizationId = org.organizationId;

  const { parents, depths } = groupParents(input.groups);
  const groupIds = parents.map(() => newId());
  const groupRows = parents.map((parent, i) => ({
    id: groupIds[i]!, organization_id: organizationId, parent_id: parent === null ? null : groupIds[parent]!,
    name: `Group ${String(i + 1).padStart(5, '0')}`, description: '', enforce_two_step: i % 10 === 9 ? 1 : 0, created_at: now,
  }));

  // One administrator per 1,000 members (2 at least, 100 at most), in administrator groups of ten.
  const administrators = Math.min(100, Math.max(2, Math.floor(input.members / 1_000)));
  // The Master Account Holder counts among the members.
  const technicians = Math.max(0, input.members - administrators - 1);
  const adminGroupRows = Array.from({ length: Math.ceil(administrators / 10) }, (_, i) => ({
    id: newId(), organization_id: organizationId, parent_id: null, name: `Regional administrators ${i + 1}`, description: '', created_at: now,
  }));
  const roots = groupRows.filter((g) => g.parent_id === null);
  const person = (n: number) => `${FIRST_NAMES[n % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length]} ${n + 1}`;
  const member = (n: number, local: string, fields: Partial<NewMember>): NewMember => ({
    id: newId(), organization_id: organizationId, email: email(local), name: person(n), role: null, administrator_group_id: null,
    technician_group_id: null, enabled: 1, password_hash: master.password_hash, password_changed_at: now, must_change_password: 0,
    created_at: now + n, last_sign_in_at: null, ...fields,
  });
  const adminRows = Array.from({ length: administrators }, (_, i) =>
    member(i, `admin-${i + 1}`, { role: 'administrator', administrator_group_id: adminGroupRows[Math.floor(i / 10)]!.id }));
  // Each administrator manages one top-level group and everything under it.
  const assignmentRows = adminRows.map((admin, i) => ({ administrator_id: admin.id, technician_group_id: roots[i % roots.length]!.id }));

  await ctx.db.transaction().execute(async (trx) => {
    // Parents before children: the rows are in index order and a parent's index is always lower.
    await inChunks(groupRows, (chunk) => trx.insertInto('technician_groups').values(chunk).execute());
    await inChunks(adminGroupRows, (chunk) => trx.insertInto('administrator_groups').values(chunk).execute());
    await inChunks(adminRows, (chunk) => trx.insertInto('members').values(chunk).execute());
    await inChunks(assignmentRows, (chunk) => trx.insertInto('administrator_assignments').values(chunk).execute());
    for (let start = 0; start < technicians; start += ROWS_PER_INSERT) {
      const batch: NewMember[] = [];
      for (let n = start; n < Math.min(technicians, start + ROWS_PER_INSERT); n++) {
        batch.push(member(administrators + n, `tech-${n + 1}`, { technician_group_id: input.groups > 0 ? groupIds[n % input.groups]! : null }));
      }
      await trx.insertInto('members').values(batch).execute();
    }
  });
  return {
    organizationId, masterEmail,
    administratorEmail: adminRows[0]?.email ?? null,
    technicianEmail: technicians > 0 ? email('tech-1') : null,
    administrators, technicians, groups: input.groups, administratorGroups: adminGroupRows.length,
    depth: depths.reduce((a, b) => Math.max(a, b), 0),
  };
}

async function inChunks<R>(rows: readonly R[], insert: (chunk: R[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) await insert(rows.slice(start, start + ROWS_PER_INSERT));
}
