/** `twofold members import FILE --organization ID`: up to 500 members from CSV or JSON, all or nothing. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { importMembers } from '../../services/members/importMembers.ts';
import { withRuntime } from '../cliRuntime.ts';
import { UsageError } from '../main.ts';

export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { organization: { type: 'string' }, format: { type: 'string' } },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('give one file: twofold members import FILE --organization ID');
  if (!values.organization) throw new UsageError('--organization ID is required (the id `twofold init` printed)');
  const format = values.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
  const content = await readFile(file, 'utf8');
  const result = await withRuntime(({ ctx }) => importMembers(ctx, 'system', values.organization!, { format, content }));
  process.stdout.write(`Imported ${result.imported} member${result.imported === 1 ? '' : 's'}.\n`);
  for (const member of result.members) process.stdout.write(`  ${member.id}  ${member.email}\n`);
  return 0;
}
