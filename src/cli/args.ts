/**
 * Uniform option parsing for every command: strict (an unknown option is a usage error, not a stack
 * trace) and with `-h`/`--help`, which prints the command's own help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The command was called wrongly: main prints one line, then the command's usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, readonly usage?: string) {
    super(message);
  }
}

/** `--help` was given: main prints the text on standard output and exits 0. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
  constructor(readonly text: string) {
    super('help requested');
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<const O extends Options>(args: string[], help: string, options: O, allowPositionals = false) {
  const config = { args, options: { ...options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } }, allowPositionals, strict: true } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    if (isParseArgsError(error)) throw new UsageError(describeParseError(error), help);
    throw error;
  }
  if ((parsed.values as { help?: boolean }).help) throw new HelpRequested(help);
  return parsed;
}

function isParseArgsError(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Node's messages run on with advice about `--`; the first sentence is what a person needs. */
function describeParseError(error: Error & { code: string }): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown option ${quoted}`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted) return `unexpected argument ${quoted}`;
  return error.message.split('. ')[0]!;
}
