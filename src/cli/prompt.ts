/**
 * Asking for what a command is missing, only in a terminal: scripts and CI get a clear error
 * instead of a prompt that never returns.
 */
import { createInterface } from 'node:readline/promises';
import { UsageError } from './main.ts';

export async function ask(question: string, options: { secret?: boolean; flag: string }): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`${options.flag} is required (no terminal to ask in)`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (options.secret) {
    // Echo nothing while the password is typed.
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    output._writeToOutput = (s: string) => {
      if (!asked) { process.stdout.write(s); asked = true; }
    };
  }
  try {
    const answer = (await rl.question(`${question}: `)).trim();
    if (options.secret) process.stdout.write('\n');
    if (!answer) throw new UsageError(`${options.flag} must not be empty`);
    return answer;
  } finally {
    rl.close();
  }
}
