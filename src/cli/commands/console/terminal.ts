/**
 * The terminal `twofold console` talks through: visible answers (readline, which echoes), hidden ones
 * (the password: nothing echoed, not even asterisks) and output. Only in a terminal: a script gets a
 * usage error rather than a prompt that never returns.
 */
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../../args.ts';
import { hiddenLineReader } from '../../prompt.ts';

export interface Terminal {
  /** A line typed with echo, trimmed. */
  line(prompt: string): Promise<string>;
  /** A line typed with nothing shown (a password). */
  hidden(prompt: string): Promise<string>;
  say(text: string): void;
}

export function processTerminal(): Terminal {
  if (!process.stdin.isTTY) throw new UsageError('no terminal to ask in (run it in a terminal)');
  const readHidden = hiddenLineReader(process.stdin, process.stdout);
  return {
    async line(prompt) {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // Ctrl-C at a question stops the command, as it does at the hidden password prompt.
      rl.on('SIGINT', () => process.exit(130));
      try {
        return (await rl.question(prompt)).trim();
      } finally {
        rl.close();
      }
    },
    hidden: readHidden,
    say(text) {
      process.stdout.write(`${text}\n`);
    },
  };
}
