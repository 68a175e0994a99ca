/** `twofold outbox`: the latest messages the embedded outbox holds (codes, invitations, notices). */
import { loadConfig } from '../../config.ts';
import { outboxPath, readOutbox } from '../../delivery/outbox.ts';
import { parseCommandArgs, UsageError } from '../args.ts';

export const OUTBOX_HELP = `Usage: twofold outbox [--limit N] [--json]

Prints the latest messages the embedded outbox holds (codes, invitations, notices), newest last.

Options:
  --limit N     How many messages, 1 to 1000 (default 10)
  --json        One JSON object a line
  -h, --help    Show this help`;

export async function outboxCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, OUTBOX_HELP, { limit: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000', OUTBOX_HELP);
  const config = loadConfig(process.env);
  const entries = await readOutbox(config.dataDir, limit);
  if (values.json) {
    for (const entry of entries) process.stdout.write(`${JSON.stringify(entry)}\n`);
    return 0;
  }
  if (entries.length === 0) {
    process.stdout.write(`The outbox (${outboxPath(config.dataDir)}) is empty.\n`);
    return 0;
  }
  for (const entry of entries) {
    process.stdout.write(`── ${entry.at}  ${entry.channel} to ${entry.to}\n${entry.subject}\n${entry.text}\n\n`);
  }
  return 0;
}
