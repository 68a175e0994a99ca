/**
 * `twofold authenticator`: the terminal Twofold Authenticator, for people and scripts. It speaks only
 * the public push protocol (docs/push-protocol.md) and keeps its private key in a file readable by its
 * owner alone.
 */
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HelpRequested, UsageError, parseCommandArgs } from '../args.ts';
import { ApiProblem, DeviceClient, pairDevice, type PushRequestContext } from '../authenticator/deviceClient.ts';
import { numberScreenOf, type NumberScreen } from './console/client.ts';

const KEY_FILE_ENV = 'TWOFOLD_AUTHENTICATOR_KEY_FILE';

export const AUTHENTICATOR_HELP = `Usage: twofold authenticator <subcommand> [options]

The terminal Twofold Authenticator: approves sign-ins with "authenticator app notification".

Subcommands:
  pair LINK                          Pair with the link shown where the member sets the method up
  watch                              Show requests as they come, ask for the number, approve or deny
  respond --number N --approve       Approve the pending request with the number Twofold shows for it
  respond --deny [--report]          Deny it (--report: "this wasn't me", locks push until an administrator clears it)

The key lives in --key-file, or ${KEY_FILE_ENV}, or ~/.config/twofold/authenticator.json (mode 0600).
\`twofold authenticator <subcommand> --help\` describes a subcommand.`;

const KEY_FILE_OPTION = `  --key-file PATH    Where the key is kept (default: $${KEY_FILE_ENV}, else ~/.config/twofold/authenticator.json)`;

export const PAIR_HELP = `Usage: twofold authenticator pair LINK [--name NAME] [--key-file PATH]

Makes an ECDSA P-256 key pair, registers its public key with the pairing link (single use, ten
minutes), and writes the key file with mode 0600. The set-up screen then shows a number: approve the
first request with it (watch or respond) to finish pairing.

Options:
  --name NAME        The device name shown to the member and administrators (default: this host's name)
${KEY_FILE_OPTION}
  --force            Replace an existing key file
  -h, --help         Show this help`;

export const WATCH_HELP = `Usage: twofold authenticator watch [--once] [--key-file PATH]

Holds the request stream open and shows each request with its context (who, organization, client,
address, time). Type the number Twofold shows for it (on the sign-in screen, the set-up screen or the
page of the change) to approve, "d" to deny, or "r" to deny and report a request you did not make.

Options:
  --once             Exit after answering one request
${KEY_FILE_OPTION}
  -h, --help         Show this help`;

export const RESPOND_HELP = `Usage: twofold authenticator respond (--number N --approve | --deny [--report]) [--request ID] [--key-file PATH]

Answers the pending request (the oldest, or --request ID) and exits: 0 when recorded, 1 otherwise.

Options:
  --number N         The number Twofold shows for the request (needed to approve)
  --approve          Approve the sign-in
  --deny             Deny it
  --report           With --deny: "this wasn't me"; push stays locked until an administrator clears it
  --request ID       Answer this request rather than the oldest pending one
${KEY_FILE_OPTION}
  -h, --help         Show this help`;

const keyFileOption = { 'key-file': { type: 'string' } } as const;

/** --key-file, else the environment, else the user's configuration directory. */
function keyFileOf(value: string | undefined): string {
  if (value !== undefined && value.trim() === '') throw new UsageError('--key-file must not be empty', AUTHENTICATOR_HELP);
  const configHome = process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return value ?? (process.env[KEY_FILE_ENV] || join(configHome, 'twofold', 'authenticator.json'));
}

export async function authenticatorCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'pair') return pairCommand(rest);
  if (subcommand === 'watch') return watchCommand(rest);
  if (subcommand === 'respond') return respondCommand(rest);
  if (subcommand === '--help' || subcommand === '-h') throw new HelpRequested(AUTHENTICATOR_HELP);
  throw new UsageError(subcommand ? `unknown subcommand "${subcommand}"` : 'which subcommand?', AUTHENTICATOR_HELP);
}

/** Problems of the server as one line, with their stable code. */
function failed(error: unknown): number {
  if (error instanceof ApiProblem) {
    process.stderr.write(`twofold authenticator: ${error.message}\n`);
    return 1;
  }
  if (error instanceof Error && !(error instanceof UsageError) && !(error instanceof HelpRequested) && !('code' in error)) {
    process.stderr.write(`twofold authenticator: ${error.message}\n`);
    return 1;
  }
  throw error;
}

async function pairCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, PAIR_HELP, { ...keyFileOption, name: { type: 'string' }, force: { type: 'boolean', default: false } }, true);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'the pairing link is missing' : 'one pairing link only', PAIR_HELP);
  const keyFile = keyFileOf(values['key-file']);
  const name = (values.name ?? hostname()).trim().slice(0, 64);
  if (!name) throw new UsageError('--name must not be empty', PAIR_HELP);
  const { existsSync } = await import('node:fs');
  if (existsSync(keyFile) && !values.force) throw new UsageError(`${keyFile} exists: use --force to replace it, or --key-file`, PAIR_HELP);
  if (values.force && existsSync(keyFile)) (await import('node:fs')).rmSync(keyFile);
  try {
    const device = await pairDevice(positionals[0]!, keyFile, name, 'terminal');
    process.stdout.write(`Paired with ${device.organizationName} as ${device.memberEmail} (key in ${keyFile}).\n`
      + 'Approve the first request with the number the set-up shows: twofold authenticator watch\n');
    return 0;
  } catch (error) {
    return failed(error);
  }
}

/** The lines the terminal shows for a request, titled by what approving does. */
export function describeRequest(request: PushRequestContext): string {
  const client = request.client.kind === 'technician-console'
    ? `Technician Console${request.client.version ? ` ${request.client.version}` : ''}` : 'the website';
  const action = request.action ?? request.purpose;
  const what = action === 'pairing' ? 'Finish pairing this authenticator'
    : action === 'password_change' ? 'Change the password'
      : action === 'password_reset' ? 'Reset the forgotten password'
        : action === 'confirm_identity' ? 'Confirm it\'s you before an account change' : 'Sign in';
  return [
    `${what}: ${request.memberName} <${request.memberEmail}>, ${request.organizationName}`,
    `  from ${client}${request.ip ? `, address ${request.ip}` : ''}, at ${request.createdAt} (expires ${request.expiresAt})`,
  ].join('\n');
}

/** Where the member reads the request's number: the set-up, the page of the change, or the sign-in screen. */
export function whereTheNumberIs(request: PushRequestContext): string {
  return NUMBER_SCREENS[numberScreenOf(request)];
}

const NUMBER_SCREENS: Record<NumberScreen, string> = {
  pairing: 'the set-up screen', change: 'the Twofold page where you make the change', sign_in: 'the sign-in screen',
};

async function watchCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, WATCH_HELP, { ...keyFileOption, once: { type: 'boolean', default: false } });
  let client: DeviceClient;
  try {
    client = await DeviceClient.open(keyFileOf(values['key-file']));
  } catch (error) {
    return failed(error);
  }
  const lines = createInterface({ input: process.stdin, terminal: false });
  const input: string[] = [];
  let waiter: ((line: string | null) => void) | null = null;
  let inputEnded = false;
  lines.on('line', (line) => { if (waiter) { const w = waiter; waiter = null; w(line); } else input.push(line); });
  lines.on('close', () => { inputEnded = true; waiter?.(null); });
  const nextLine = (): Promise<string | null> => (input.length > 0 ? Promise.resolve(input.shift()!)
    : inputEnded ? Promise.resolve(null) : new Promise((resolve) => { waiter = resolve; }));

  const queue: PushRequestContext[] = [];
  const ended = new Map<string, string>();
  let wake: (() => void) | null = null;
  const stop = new AbortController();
  const streaming = client.stream({
    onRequest: (request) => { if (!queue.some((q) => q.id === request.id)) queue.push(request); wake?.(); },
    onClosed: (id, state) => { ended.set(id, state); wake?.(); },
    onError: (error) => process.stderr.write(`Connection lost (${error instanceof Error ? error.message : String(error)}); reconnecting…\n`),
  }, stop.signal).catch((error: unknown) => { stop.abort(); return error; });
  process.stdout.write(`Watching for requests to ${client.device.memberEmail} at ${client.device.serverOrigin}. Ctrl-C to stop.\n`);
  const interrupt = (): void => stop.abort();
  process.once('SIGINT', interrupt);
  let status = 0;
  try {
    while (!stop.signal.aborted) {
      const request = queue.shift();
      if (!request) {
        await new Promise<void>((resolve) => { wake = resolve; stop.signal.addEventListener('abort', () => resolve(), { once: true }); });
        wake = null;
        continue;
      }
      if (ended.has(request.id)) continue;
      process.stdout.write(`\n${describeRequest(request)}\nType the ${request.numberDigits}-digit number shown on ${whereTheNumberIs(request)} to approve, d to deny, r to deny and report: `);
      const line = await nextLine();
      if (line === null) break;
      const answer = line.trim().toLowerCase();
      const decision = answer === 'r' ? 'deny_and_report' : answer === 'd' || answer === '' ? 'deny' : 'approve';
      if (decision === 'approve' && !/^\d{1,6}$/.test(answer)) {
        process.stdout.write('That is not a number: the request is left as it is.\n');
        continue;
      }
      try {
        const state = await client.decide(request.id, decision === 'approve' ? answer : '', decision);
        process.stdout.write(state === 'approved' ? 'Approved.\n' : state === 'reported' ? 'Denied and reported.\n' : 'Denied.\n');
      } catch (error) {
        if (!(error instanceof ApiProblem)) throw error;
        process.stdout.write(`Not recorded: ${error.message}\n`);
        status = 1;
      }
      if (values.once) break;
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    stop.abort();
    lines.close();
  }
  const streamError = await streaming;
  if (streamError instanceof ApiProblem) return failed(streamError);
  return status;
}

async function respondCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, RESPOND_HELP, {
    ...keyFileOption, number: { type: 'string' }, approve: { type: 'boolean', default: false }, deny: { type: 'boolean', default: false },
    report: { type: 'boolean', default: false }, request: { type: 'string' },
  });
  if (values.approve === values.deny) throw new UsageError('give exactly one of --approve and --deny', RESPOND_HELP);
  if (values.approve && (values.number === undefined || !/^\d{1,6}$/.test(values.number))) {
    throw new UsageError('--approve needs --number N, the number Twofold shows for the request', RESPOND_HELP);
  }
  if (values.report && !values.deny) throw new UsageError('--report goes with --deny', RESPOND_HELP);
  if (values.deny && values.number !== undefined) throw new UsageError('--number goes with --approve', RESPOND_HELP);
  try {
    const client = await DeviceClient.open(keyFileOf(values['key-file']));
    const pending = await client.pending();
    const request = values.request === undefined ? pending[0] : pending.find((r) => r.id === values.request);
    if (!request) {
      process.stderr.write(`twofold authenticator: ${values.request === undefined ? 'no pending request' : `no pending request ${values.request}`}\n`);
      return 1;
    }
    const decision = values.approve ? 'approve' : values.report ? 'deny_and_report' : 'deny';
    process.stdout.write(`${describeRequest(request)}\n`);
    const state = await client.decide(request.id, values.approve ? values.number! : '', decision);
    process.stdout.write(`${state === 'approved' ? 'Approved' : state === 'reported' ? 'Denied and reported' : 'Denied'}.\n`);
    return 0;
  } catch (error) {
    return failed(error);
  }
}
