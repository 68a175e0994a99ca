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
  // One reader for both prompts: what was pasted past the first answer is the second.
  const readHidden = hiddenLineReader(process.stdin, process.stdout);
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

/** The little of a terminal's input that reading a hidden line needs (a fake one in tests). */
export interface Keyboard {
  setRawMode(raw: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  resume(): unknown;
  pause(): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  off(event: 'data', listener: (chunk: string) => void): unknown;
}

const isLineEnd = (character: string) => character === '\r' || character === '\n' || character === '\u0004';

/**
 * Reads lines from the terminal in raw mode: the terminal echoes nothing, and neither do we (not even
 * asterisks, which would tell its length). Backspace deletes, Ctrl-U clears, Ctrl-C stops the command.
 * A paste arrives as one chunk holding several lines (`secret\rsecret\r`): what follows the first
 * line's end is kept for the next read, not thrown away, so it answers the next prompt. A CR LF pair
 * ends one line, not two.
 */
export function hiddenLineReader(input: Keyboard, output: { write(text: string): unknown }): (prompt: string) => Promise<string> {
  let typedAhead = '';
  let afterCarriageReturn = false;
  return (prompt) => new Promise((resolve) => {
    // Raw mode before the prompt: a fast typist's first keys must not be echoed either.
    input.setRawMode(true);
    input.setEncoding('utf8');
    output.write(prompt);
    let typed: string[] = [];
    const done = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    /** Takes characters until a line ends; true when it did (the rest is kept for the next read). */
    const take = (chunk: string): boolean => {
      const characters = [...chunk];
      for (let index = 0; index < characters.length; index++) {
        const character = characters[index]!;
        const skipped = afterCarriageReturn && character === '\n';
        afterCarriageReturn = false;
        if (skipped) continue;
        if (isLineEnd(character)) {
          afterCarriageReturn = character === '\r';
          typedAhead = characters.slice(index + 1).join('');
          done();
          resolve(typed.join(''));
          return true;
        }
        if (character === '\u0003') {
          done();
          process.exit(130);
        }
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else if (character === '\u0015') typed = []; // Ctrl-U clears the line, as in a shell
        else if (character >= ' ') typed.push(character);
      }
      return false;
    };
    const onData = (chunk: string) => { take(chunk); };
    const ahead = typedAhead;
    typedAhead = '';
    input.on('data', onData);
    if (take(ahead)) return;
    input.resume();
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
