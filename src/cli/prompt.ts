/**
 * Asking for what a command is missing, only in a terminal: scripts and CI get a clear error
 * instead of a prompt that never returns.
 */
import { createInterface } from 'node:readline/promises';
import { UsageError } from './args.ts';

export async function ask(question: string, options: { flag: string }): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`${options.flag} is required (no terminal to ask in)`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    const answer = (await rl.question(`${question}: `)).trim();
    if (!answer) throw new UsageError(`${options.flag} must not be empty`);
    return answer;
  } finally {
    rl.close();
  }
}

const ATTEMPTS = 3;

/**
 * A new secret, typed twice with nothing shown, so a typo cannot become a password nobody knows.
 * `how` says what to use instead when there is no terminal.
 */
export async function askNewSecret(question: string, how: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`no terminal to ask for the password in: ${how}`);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const first = await readHidden(`${question}: `);
    if (!first) {
      process.stderr.write('It must not be empty.\n');
      continue;
    }
    const second = await readHidden(`${question} (again): `);
    if (first === second) return first;
    process.stderr.write('The two did not match.\n');
  }
  throw new UsageError(`no password after ${ATTEMPTS} attempts`);
}

/**
 * One line from the terminal in raw mode: the terminal echoes nothing, and neither do we (not even
 * asterisks, which would tell its length). Backspace deletes, Ctrl-C stops the command.
 */
function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve) => {
    // Raw mode before the prompt: a fast typist's first keys must not be echoed either.
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    process.stdout.write(prompt);
    let typed: string[] = [];
    const done = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stdout.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || character === '\u0004') {
          done();
          resolve(typed.join(''));
          return;
        }
        if (character === '\u0003') {
          done();
          process.exit(130);
        }
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else if (character === '\u0015') typed = []; // Ctrl-U clears the line, as in a shell
        else if (character >= ' ') typed.push(character);
      }
    };
    input.on('data', onData);
  });
}

/** The first line of standard input, for scripts: `--password-stdin`. */
export async function readLineFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if ((chunk as Buffer).includes(0x0a)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]!.replace(/\r$/, '');
}
