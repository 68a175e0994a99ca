/** `twofold <command>`: dispatches to one file per command and turns known errors into clear messages. */
import { ConfigError } from '../config.ts';
import { TwofoldError } from '../core/errors.ts';
import { HelpRequested, parseCommandArgs, UsageError } from './args.ts';
import { AUTHENTICATOR_HELP, PAIR_HELP, RESPOND_HELP, WATCH_HELP, authenticatorCommand } from './commands/authenticator.ts';
import { DEMO_HELP, demoCommand } from './commands/demo.ts';
import { IMPORT_HELP, importCommand } from './commands/importMembers.ts';
import { INIT_HELP, initCommand } from './commands/init.ts';
import { OUTBOX_HELP, outboxCommand } from './commands/outbox.ts';
import { serveCommand } from './commands/serve.ts';
import { CONSOLE_HELP, consoleCommand } from './commands/console/consoleCommand.ts';
import { describeExpectedFailure } from './failures.ts';

export { UsageError } from './args.ts';

const USAGE = `Usage: twofold <command> [options]

Commands:
  serve                               Start the server (PORT, DATABASE_URL, TWOFOLD_DATA_DIR, …)
  init --organization NAME --email EMAIL [--name NAME] [--password-stdin]
                                      Create an organization and its Master Account Holder
  demo                                Create a demo organization with groups, administrators and technicians
  members import FILE --organization ID [--format csv|json]
                                      Import up to 500 members from a CSV or JSON file, all or nothing
  outbox [--limit N] [--json]         Print the latest messages written to the outbox
  console sign-in|password|whoami|sign-out [--server URL] [--email EMAIL] [--console-version VERSION]
                                      A Technician Console in the terminal: sign in with two-step verification
  authenticator pair LINK | watch | respond --number N --approve|--deny
                                      The terminal Twofold Authenticator (push approvals)

\`twofold <command> --help\` describes a command. Configuration comes from environment variables; see the README.`;

const SERVE_HELP = `Usage: twofold serve

Starts the server; SIGINT or SIGTERM stop it after the requests under way. Configuration comes from
environment variables (PORT, TWOFOLD_HOST, DATABASE_URL, TWOFOLD_DATA_DIR, …; see the README).

Options:
  -h, --help    Show this help`;

const MEMBERS_HELP = `Usage: twofold members import FILE --organization ID [--format csv|json]

Subcommands:
  import    Import up to 500 members from a CSV or JSON file, all or nothing`;

type Command = (args: string[]) => Promise<number>;
const COMMANDS: Record<string, Command> = {
  serve: async (args) => {
    parseCommandArgs(args, SERVE_HELP, {});
    return serveCommand();
  },
  init: initCommand,
  demo: demoCommand,
  outbox: outboxCommand,
  console: consoleCommand,
  authenticator: authenticatorCommand,
  members: async (args) => {
    if (args[0] === 'import') return importCommand(args.slice(1));
    if (args[0] === '--help' || args[0] === '-h') throw new HelpRequested(MEMBERS_HELP);
    throw new UsageError(args[0] ? `unknown subcommand "${args[0]}"` : 'which subcommand?', MEMBERS_HELP);
  },
};

/** Helps of commands whose files have one, for `twofold help <command>`. */
const HELPS: Record<string, string> = {
  serve: SERVE_HELP, init: INIT_HELP, demo: DEMO_HELP, outbox: OUTBOX_HELP, members: MEMBERS_HELP, 'members import': IMPORT_HELP, console: CONSOLE_HELP,
  authenticator: AUTHENTICATOR_HELP, 'authenticator pair': PAIR_HELP, 'authenticator watch': WATCH_HELP, 'authenticator respond': RESPOND_HELP,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = args.join(' ');
    process.stdout.write(`${(name === 'help' && HELPS[topic]) || USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}\n`);
    return 2;
  }
  const label = name === 'members' && args[0] === 'import' ? 'members import'
    : name === 'authenticator' && ['pair', 'watch', 'respond'].includes(args[0] ?? '') ? `authenticator ${args[0]}`
    : name === 'console' && args[0] && !args[0].startsWith('-') ? `console ${args[0]}` : name;
  try {
    return await command(args);
  } catch (error) {
    return report(label, error);
  }
}

/** Expected conditions as one line each; anything else is a defect and keeps its stack trace. */
function report(label: string, error: unknown): number {
  if (error instanceof HelpRequested) {
    process.stdout.write(`${error.text}\n`);
    return 0;
  }
  if (error instanceof UsageError) {
    // The one line, then the usage line; --help has the rest.
    const usage = error.usage?.split('\n\n')[0];
    process.stderr.write(`twofold ${label}: ${error.message}\n${usage ? `${usage}\n` : ''}`);
    return 2;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return 78; // EX_CONFIG
  }
  if (error instanceof TwofoldError) {
    process.stderr.write(`twofold ${label}: ${error.message} (${error.code})\n`);
    for (const detail of error.details.errors ?? []) process.stderr.write(`  ${JSON.stringify(detail)}\n`);
    return 1;
  }
  const expected = describeExpectedFailure(error, process.env);
  if (expected) {
    process.stderr.write(`twofold ${label}: ${expected.message}\n`);
    return expected.exitCode;
  }
  throw error;
}
