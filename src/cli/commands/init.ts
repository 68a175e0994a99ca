/** `twofold init`: creates an organization and its Master Account Holder, asking for what is missing. */
import { createOrganization } from '../../services/organizations/createOrganization.ts';
import { parseCommandArgs, UsageError } from '../args.ts';
import { withRuntime } from '../cliRuntime.ts';
import { ask, askNewSecret, readLineFromStdin } from '../prompt.ts';

export const INIT_HELP = `Usage: twofold init [--organization NAME] [--email EMAIL] [--name NAME] [--password-stdin]

Creates an organization and its Master Account Holder. In a terminal it asks for what is missing;
the password is asked twice and nothing is shown while it is typed.

Options:
  --organization NAME    The organization's name
  --email EMAIL          The Master Account Holder's email, which they sign in with
  --name NAME            Their name (default: the part of the email before @)
  --password-stdin       Read the password from the first line of standard input
  --password PASSWORD    The password itself; other users see it in the process list and it stays in
                         the shell history: prefer --password-stdin or TWOFOLD_INIT_PASSWORD
  -h, --help             Show this help

Environment:
  TWOFOLD_INIT_PASSWORD  The password, for scripts, when --password-stdin is not given`;

const NO_TERMINAL = 'give it with --password-stdin or TWOFOLD_INIT_PASSWORD';

export async function initCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, INIT_HELP, {
    organization: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' },
    password: { type: 'string' }, 'password-stdin': { type: 'boolean', default: false },
  });
  if (values.password !== undefined && values['password-stdin']) throw new UsageError('give --password or --password-stdin, not both', INIT_HELP);
  // Read first: once standard input carries the password, it cannot also answer questions.
  // From a terminal, "standard input" is someone typing: hidden, as the prompt would be.
  const piped = !values['password-stdin'] ? undefined : process.stdin.isTTY ? await askNewSecret('Password', NO_TERMINAL) : await readLineFromStdin();
  if (piped === '') throw new UsageError('--password-stdin: the first line of standard input is empty');
  const organizationName = values.organization ?? await ask('Organization name', { flag: '--organization' });
  const email = values.email ?? await ask('Email of the Master Account Holder', { flag: '--email' });
  const name = values.name ?? (process.stdin.isTTY && !values.email ? await ask('Their name', { flag: '--name' }) : email.split('@')[0] ?? email);
  const password = piped ?? values.password ?? (process.env.TWOFOLD_INIT_PASSWORD || await askNewSecret('Password', NO_TERMINAL));
  const created = await withRuntime(({ ctx }) => createOrganization(ctx, { organizationName, name, email, password }));
  process.stdout.write(`Created organization "${organizationName}" (${created.organizationId}).\n`);
  process.stdout.write(`Master Account Holder: ${email} (${created.memberId}). Sign in with this email and password.\n`);
  return 0;
}
