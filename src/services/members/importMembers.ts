/**
 * Bulk import of members from a CSV or JSON file (up to 500 a file, docs/product-behaviour.md "Bulk import"), all or nothing:
 * every row is judged first and any bad row stops the whole file with a report of each problem;
 * a good file is written in one database transaction. Shared by `POST /api/v1/members/import` and
 * `twofold members import FILE --organization ID`.
 */
import type { Kysely } from 'kysely';
import { authorize, type PermissionActor } from '../../core/permissions.ts';
import { hashPassword } from '../../crypto/passwords.ts';
import { newId } from '../../crypto/tokens.ts';
import type { Database } from '../../storage/schema.ts';
import { isUniqueViolation } from '../../storage/uniqueViolation.ts';
import { loadPermissionActor, organizationTarget, requireAllowed } from '../access/permissionActor.ts';
import { audit, memberEntityType } from '../audit.ts';
import type { Actor, AuditActor, Context } from '../context.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { createInvitation, sendInvitation, type NewInvitation } from './invitations.ts';
import { importFailed, parseImportFile, type ImportFormat } from './parseImportFile.ts';
import { validateImportRows, type ValidImportRow } from './validateImportRows.ts';

export interface ImportFile {
  readonly format: ImportFormat;
  /** The file's text. */
  readonly content: string;
}

export interface ImportResult {
  readonly imported: number;
  readonly members: Array<{ readonly id: string; readonly email: string }>;
}

/** argon2id takes ~11 ms and 19 MiB a hash: a few at a time keeps a 500-row import from starving the server. */
const HASH_CONCURRENCY = 4;
const SYSTEM_ACTOR: AuditActor = { id: null, name: 'Command line' };

/**
 * Imports `file` into `organizationId`. `'system'` is the command line, trusted like a master
 * administrator; a signed-in actor may import only into their own organization and only what the
 * permission rule lets them create.
 */
export async function importMembers(ctx: Context, actor: Actor | 'system', organizationId: string, file: ImportFile): Promise<ImportResult> {
  const { policy, valid } = await judgeImportFile(ctx, actor, organizationId, file);

  const hashes = await mapLimit(valid, HASH_CONCURRENCY, (r) => (r.password === null ? Promise.resolve(null) : hashPassword(r.password)));
  const now = ctx.clock();
  const auditActor: AuditActor = actor === 'system' ? SYSTEM_ACTOR : actor;
  const created = valid.map((r, i) => ({ ...r, id: newId(), passwordHash: hashes[i] ?? null }));

  const invitations = await ctx.db.transaction().execute(async (trx) => {
    // Someone may have taken an email since the rows were judged: report it like any bad row.
    const raced = await takenEmails(trx, created.map((m) => m.email));
    if (raced.size > 0) {
      throw importFailed(created.filter((m) => raced.has(m.email)).map((m) => ({ row: m.row, field: 'email', code: 'email_taken' as const, message: 'A member with this email already exists.' })));
    }
    for (const chunk of chunks(created, 100)) {
      await trx.insertInto('members').values(chunk.map((m) => ({
        id: m.id, organization_id: organizationId, email: m.email, name: m.name, description: '', role: m.role,
        administrator_group_id: null, technician_group_id: m.technicianGroupId, enabled: 1,
        password_hash: m.passwordHash, password_changed_at: m.passwordHash === null ? null : now.getTime(),
        must_change_password: m.passwordHash !== null && policy.passwordPolicy.adminChangeForcesChange ? 1 : 0,
        created_at: now.getTime(), last_sign_in_at: null,
      }))).execute();
    }
    const issued: Array<{ email: string; invitation: NewInvitation }> = [];
    for (const m of created) {
      if (m.passwordHash === null) issued.push({ email: m.email, invitation: await createInvitation(trx, m.id, now) });
      await audit(trx, now, {
        organizationId, actor: auditActor, entityType: memberEntityType(m.role), entityId: m.id, entityName: m.name,
        changeType: 'Add', details: { after: { email: m.email, role: m.role, technicianGroupId: m.technicianGroupId, invited: m.passwordHash === null }, import: true },
      });
    }
    await audit(trx, now, {
      organizationId, actor: auditActor, entityType: 'organization', entityId: organizationId, entityName: policy.name,
      changeType: 'Import', details: { format: file.format, imported: created.length },
    });
    return issued;
  }).catch((error: unknown) => {
    // A member added between the check above and the insert: the unique index has the last word.
    throw isUniqueViolation(error) ? importFailed([{ row: null, field: 'email', code: 'email_taken_meanwhile', message: 'An email in the file was taken while importing; import the file again.' }]) : error;
  });

  await mapLimit(invitations, HASH_CONCURRENCY, (i) => sendInvitation(ctx, i.email, null, policy.name, i.invitation));
  return { imported: created.length, members: created.map((m) => ({ id: m.id, email: m.email })) };
}

/**
 * Every row of `file` judged as an import would judge it, writing nothing: the caller's permission,
 * then each row, and `import_failed` listing every bad row. Shared by the import and its dry run.
 */
export async function judgeImportFile(ctx: Context, actor: Actor | 'system', organizationId: string, file: ImportFile) {
  const permissions = actor === 'system' ? null : await loadPermissionActor(ctx.db, actor);
  if (permissions) requireAllowed(permissions, 'member.import', organizationTarget(organizationId));
  const policy = await loadOrganizationPolicy(ctx.db, organizationId);
  const rows = parseImportFile(file.format, file.content);

  const groups = await ctx.db.selectFrom('technician_groups').select(['id', 'name', 'parent_id as parentId'])
    .where('organization_id', '=', organizationId).execute();
  const { valid, errors } = validateImportRows(rows, {
    policy: policy.passwordPolicy,
    existingEmails: await takenEmails(ctx.db, rows.map((r) => r.values.email).filter((e): e is string => typeof e === 'string').map((e) => e.trim().toLowerCase())),
    groups,
    visibleGroupIds: new Set(permissions?.role === 'administrator' ? permissions.managedGroupIds : groups.map((g) => g.id)),
    mayCreate: (role, technicianGroupId) => permissions === null || mayCreate(permissions, role, technicianGroupId),
  });
  if (errors.length > 0) throw importFailed(errors);
  return { policy, valid, groups };
}

function mayCreate(permissions: PermissionActor, role: ValidImportRow['role'], technicianGroupId: string | null): boolean {
  return authorize(permissions, 'member.create', {
    kind: 'member', organizationId: permissions.organizationId, id: null, role, technicianGroupId, isMasterAccountHolder: false,
  });
}

async function takenEmails(db: Kysely<Database>, emails: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const chunk of chunks([...new Set(emails)], 200)) {
    const rows = await db.selectFrom('members').select('email').where('email', 'in', chunk).execute();
    for (const row of rows) taken.add(row.email);
  }
  return taken;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `fn` over `items` with at most `limit` running at once, keeping the order of results. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

