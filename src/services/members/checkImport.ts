/**
 * The dry run of a bulk import: the file is judged exactly as `importMembers` judges it, and nothing
 * is written, no invitation sent and no event audited. A good file answers the members it would
 * create (never their passwords); a bad one `import_failed` with every bad row, so an administrator
 * sees every problem before anything is saved.
 */
import { GROUP_PATH_SEPARATOR } from '../../core/groupTree.ts';
import type { Actor, Context } from '../context.ts';
import { judgeImportFile, type ImportFile } from './importMembers.ts';
import type { ImportGroup } from './validateImportRows.ts';

export interface ImportPreview {
  readonly valid: number;
  readonly members: Array<{
    readonly row: number;
    readonly name: string;
    readonly email: string;
    readonly role: 'master_administrator' | 'administrator' | null;
    readonly technicianGroupId: string | null;
    /** The group's path of names from the root ("Support/Tier 1"), so the preview needs no list of groups. */
    readonly technicianGroup: string | null;
    /** Without a password in the file, the member is emailed an invitation. */
    readonly invited: boolean;
  }>;
}

export async function checkImport(ctx: Context, actor: Actor, file: ImportFile): Promise<ImportPreview> {
  const { valid, groups } = await judgeImportFile(ctx, actor, actor.organizationId, file);
  const pathOf = groupPaths(groups);
  return {
    valid: valid.length,
    members: valid.map((r) => ({
      row: r.row, name: r.name, email: r.email, role: r.role, technicianGroupId: r.technicianGroupId,
      technicianGroup: r.technicianGroupId === null ? null : pathOf(r.technicianGroupId), invited: r.password === null,
    })),
  };
}

/** A group's names from the root, joined as an import file joins them; a cycle (never stored) stops the walk. */
function groupPaths(groups: readonly ImportGroup[]): (id: string) => string {
  const byId = new Map(groups.map((g) => [g.id, g]));
  return (id) => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let g = byId.get(id); g && !seen.has(g.id); g = g.parentId === null ? undefined : byId.get(g.parentId)) {
      seen.add(g.id);
      names.unshift(g.name);
    }
    return names.join(GROUP_PATH_SEPARATOR);
  };
}
