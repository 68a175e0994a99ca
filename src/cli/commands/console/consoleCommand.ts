/**
 * `twofold console`: a Technician Console at a terminal. It signs in to a Twofold server as a console
 * of a given version (the server decides the methods by it), walks two-step verification with the
 * client package's sign-in helper, keeps the session token in a 0600 file, and ends each command with
 * an exit status per outcome (outcomes.ts).
 */
import { HelpRequested, UsageError, parseCommandArgs } from '../../args.ts';
import { changePassword, createTwofoldClient, signIn, technicianConsole, TwofoldProblem, unwrap } from './client.ts';
import { EXIT, EXIT_HELP, describeProblem } from './outcomes.ts';
import { terminalPrompts } from './prompts.ts';
import { configDirectory, deleteSession, readSession, sessionFilePath, writeSession, type ConsoleSession } from './sessionFile.ts';
import { processTerminal } from './terminal.ts';

/**
 * This console's own version, sent at every sign-in unless --console-version says otherwise. It is
 * newer than 7.50.3572, so by default the console follows the organization's primary method and may
 * use email, as current Technician Consoles do.
 */
export const CONSOLE_VERSION = '8.0.0';
const DEFAULT_SERVER = 'http://localhost:3000';

export const CONSOLE_HELP = `Usage: twofold console <command> [options]

A Technician Console in the terminal: signs in to a Twofold server with two-step verification.

Commands:
  sign-in [--server URL] [--email EMAIL] [--console-version VERSION]
        Asks for the password (hidden), then what the sign-in needs: an authenticator app
        notification (it shows the number to type in the authenticator app, and waits for the
        approval), a code from the authenticator app, a text message or an email (r sends a new
        one, m chooses another method), or the first set-up (the authenticator app's QR code drawn
        here with its key, a notification pairing link with its QR code, a phone number for text
        messages, email), then keeps the session.
  password [--end-other-sessions]
        Changes your password: the current one, the new one twice, and a code when two-step
        verification applies.
  whoami
        Who is signed in, to which server, and their two-step verification.
  sign-out
        Ends the session on the server and deletes the saved token.

Options:
  --server URL                The Twofold server (default ${DEFAULT_SERVER}); later commands use the one signed in to
  --email EMAIL               Asked for when not given
  --console-version VERSION   Sign in as this Technician Console version (default ${CONSOLE_VERSION}, this console's).
                              7.50.3572 and earlier cannot use email, and are offered an authenticator app
                              notification, then an authenticator app, then text messages
  --config-dir DIR            Where the session is kept (default $XDG_CONFIG_HOME/twofold, else ~/.config/twofold),
                              in console-session.json, readable only by you
  -h, --help                  Show this help

${EXIT_HELP}`;

const COMMON = { 'config-dir': { type: 'string' } } as const;

export async function consoleCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  switch (name) {
    case 'sign-in': return signInCommand(rest);
    case 'password': return passwordCommand(rest);
    case 'whoami': return whoamiCommand(rest);
    case 'sign-out': return signOutCommand(rest);
    case undefined: throw new UsageError('which command? sign-in, password, whoami or sign-out', CONSOLE_HELP);
    case '-h': case '--help': throw new HelpRequested(CONSOLE_HELP);
    default: throw new UsageError(`unknown command "${name}"`, CONSOLE_HELP);
  }
}

/** Runs a command's conversation with the server; a problem becomes its message and exit status. */
async function talking(label: string, server: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof TwofoldProblem)) throw error;
    const outcome = describeProblem(error, server);
    process.stderr.write(`twofold console ${label}: ${outcome.message}\n`);
    return outcome.exitCode;
  }
}

function serverUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--server must be a URL such as https://twofold.example.com, not "${text}"`, CONSOLE_HELP);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--server must be an http:// or https:// URL', CONSOLE_HELP);
  return url.origin;
}

async function signInCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, CONSOLE_HELP, {
    ...COMMON, server: { type: 'string' }, email: { type: 'string' }, 'console-version': { type: 'string' },
  });
  const server = serverUrl(values.server ?? DEFAULT_SERVER);
  const version = values['console-version'] ?? CONSOLE_VERSION;
  if (!/^[0-9A-Za-z.+-]{1,50}$/.test(version)) throw new UsageError('--console-version must be a version such as 7.50.3572', CONSOLE_HELP);
  const directory = configDirectory(values['config-dir'], process.env);
  const terminal = processTerminal();
  const email = values.email ?? await terminal.line('Email: ');
  if (!email) throw new UsageError('an email is needed', CONSOLE_HELP);
  const password = await terminal.hidden('Password: ');
  return talking('sign-in', server, async () => {
    const api = createTwofoldClient({ baseUrl: server });
    const { session } = await signIn(api, { email, password, client: technicianConsole(version), prompts: terminalPrompts(terminal) });
    if (!session?.token) throw new TwofoldProblem({ code: 'unknown', status: 0, title: 'the server answered no session token' });
    const path = writeSession(directory, { server, email, token: session.token, expiresAt: session.expiresAt, consoleVersion: version });
    terminal.say(`Signed in to ${server} as ${email}. The session is kept in ${path}.`);
    return EXIT.ok;
  });
}

/** The saved session, or the message that there is none. */
function savedSession(directory: string, label: string): ConsoleSession | null {
  const session = readSession(directory);
  if (!session) process.stderr.write(`twofold console ${label}: You are not signed in: run \`twofold console sign-in\`.\n`);
  return session;
}

async function passwordCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, CONSOLE_HELP, { ...COMMON, 'end-other-sessions': { type: 'boolean', default: false } });
  const directory = configDirectory(values['config-dir'], process.env);
  const session = savedSession(directory, 'password');
  if (!session) return EXIT.notSignedIn;
  const terminal = processTerminal();
  const currentPassword = await terminal.hidden('Current password: ');
  let newPassword = '';
  for (let attempt = 0; attempt < 3 && !newPassword; attempt++) {
    const first = await terminal.hidden('New password: ');
    const again = await terminal.hidden('New password (again): ');
    if (first && first === again) newPassword = first;
    else terminal.say(first ? 'The two did not match.' : 'It must not be empty.');
  }
  if (!newPassword) throw new UsageError('no new password after 3 attempts', CONSOLE_HELP);
  return talking('password', session.server, async () => {
    const api = createTwofoldClient({ baseUrl: session.server, token: session.token });
    await changePassword(api, { currentPassword, newPassword, endOtherSessions: values['end-other-sessions'], prompts: terminalPrompts(terminal) });
    terminal.say('Your password is changed.');
    return EXIT.ok;
  });
}

const ROLES = { master_administrator: 'master administrator', administrator: 'administrator' } as const;

async function whoamiCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, CONSOLE_HELP, COMMON);
  const session = savedSession(configDirectory(values['config-dir'], process.env), 'whoami');
  if (!session) return EXIT.notSignedIn;
  return talking('whoami', session.server, async () => {
    const me = await unwrap(createTwofoldClient({ baseUrl: session.server, token: session.token }).GET('/api/v1/me'));
    const twoStep = me.twoStepVerification;
    const methods = twoStep.factors.map((f) => f.label).join(', ');
    process.stdout.write([
      `${me.name} <${me.email}>, signed in to ${session.server} as console ${session.consoleVersion}`,
      `Organization: ${me.organization.name}`,
      `Role: ${me.role ? ROLES[me.role] : 'technician'}`,
      `Two-step verification: ${twoStep.required ? 'required' : 'not required'}${twoStep.setUp ? `, set up (${methods})` : ', not set up'}`,
      `Session expires: ${session.expiresAt}`,
    ].join('\n') + '\n');
    return EXIT.ok;
  });
}

async function signOutCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, CONSOLE_HELP, COMMON);
  const directory = configDirectory(values['config-dir'], process.env);
  const session = savedSession(directory, 'sign-out');
  if (!session) return EXIT.notSignedIn;
  return talking('sign-out', session.server, async () => {
    try {
      await unwrap(createTwofoldClient({ baseUrl: session.server, token: session.token }).POST('/api/v1/sign-out'));
    } catch (error) {
      // A session that has already ended is signed out all the same; any other failure keeps the
      // token, so that signing out can be tried again rather than leaving a live session behind.
      if (!(error instanceof TwofoldProblem && error.code === 'unauthenticated')) throw error;
    }
    deleteSession(directory);
    process.stdout.write(`Signed out of ${session.server}; ${sessionFilePath(directory)} is deleted.\n`);
    return EXIT.ok;
  });
}
