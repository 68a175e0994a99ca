/** `twofold <command>`: dispatches to one file per command and turns known errors into clear messages. */
import { ConfigError } from '../config.ts';
import { TwofoldError } from '../core/errors.ts';
import { demoCommand } from './commands/demo.ts';
import { importCommand } from './commands/importMembers.ts';
import { initCommand } from './commands/init.ts';
import { outboxCommand } from './commands/outbox.ts';
import { serveCommand } from './commands/serve.ts';

const USAGE = `Usage: twofold <command> [options]

Commands:
  serve                               Start the server (PORT, DATABASE_URL, TWOFOLD_DATA_DIR, …)
  init --organization NAME --email EMAIL [--name NAME] [--password PASSWORD]
                                      Create an organization and its Master Account Holder
  demo                                Create a demo organization with groups, administrators and technicians
  members import FILE --organization ID [--format csv|json]
                                      Import up to 500 members from a CSV or JSON file, all or nothing
  outbox [--limit N]                  Print the latest messages written to the outbox

Configuration comes from environment variables; see the README.`;

type Command = (args: string[]) => Promise<number>;
const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  init: initCommand,
  demo: demoCommand,
  outbox: outboxCommand,
  members: async (args) => {
    if (args[0] === 'import') return importCommand(args.slice(1));
    process.stderr.write(`${USAGE}\n`);
    return 2;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(args);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    if (error instanceof TwofoldError) {
      process.stderr.write(`twofold ${name}: ${error.message} (${error.code})\n`);
      for (const detail of error.details.errors ?? []) process.stderr.write(`  ${JSON.stringify(detail)}\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`twofold ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

export class UsageError extends Error {}
