/**
 * The dry run of a bulk import: the file is judged exactly as `importMembers` judges it, and nothing
 * is written, no invitation sent and no event audited. A good file answers the members it would
 * create (never their passwords); a bad one `import_failed` with every bad row, so an administrator
 * sees every problem before anything is saved.
 */
import type { Actor, Context } from '../context.ts';
import { judgeImportFile, type ImportFile } from './importMembers.ts';

export interface ImportPreview {
  readonly valid: number;
  readonly members: Array<{
    readonly row: number;
    readonly name: string;
    readonly email: string;
    readonly role: 'master_administrator' | 'administrator' | null;
    readonly technicianGroupId: string | null;
    /** Without a password in the file, the member is emailed an invitation. */
    readonly invited: boolean;
  }>;
}

export async function checkImport(ctx: Context, actor: Actor, file: ImportFile): Promise<ImportPreview> {
  const { valid } = await judgeImportFile(ctx, actor, actor.organizationId, file);
  return {
    valid: valid.length,
    members: valid.map((r) => ({ row: r.row, name: r.name, email: r.email, role: r.role, technicianGroupId: r.technicianGroupId, invited: r.password === null })),
  };
}
