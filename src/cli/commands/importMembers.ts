/** `twofold members import FILE --organization ID`: up to 500 members from CSV or JSON, all or nothing. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { importMembers } from '../../services/members/importMembers.ts';
import { parseCommandArgs, UsageError } from '../args.ts';
import { withRuntime } from '../cliRuntime.ts';

export const IMPORT_HELP = `Usage: twofold members import FILE --organization ID [--format csv|json]

Imports up to 500 members into the organization, all or nothing: one bad row imports none and
names every problem. New members without a password are sent an invitation.

Options:
  --organization ID    The organization (the id \`twofold init\` printed)
  --format csv|json    The file's format (default: from its extension, else csv)
  -h, --help           Show this help`;

export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, IMPORT_HELP, { organization: { type: 'string' }, format: { type: 'string' } }, true);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('give one file', IMPORT_HELP);
  if (!values.organization) throw new UsageError('--organization ID is required (the id `twofold init` printed)', IMPORT_HELP);
  const format = values.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json', IMPORT_HELP);
  const content = await readFile(file, 'utf8');
  const result = await withRuntime(({ ctx }) => importMembers(ctx, 'system', values.organization!, { format, content }));
  process.stdout.write(`Imported ${result.imported} member${result.imported === 1 ? '' : 's'}.\n`);
  for (const member of result.members) process.stdout.write(`  ${member.id}  ${member.email}\n`);
  return 0;
}
