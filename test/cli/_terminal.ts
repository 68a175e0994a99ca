/**
 * `twofold console` driven as a person drives it: in a real pseudo-terminal (tmux), keys sent one line
 * at a time, the screen read back. Each pane has a tmux server of its own (its own socket), started
 * with the test's environment.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/twofold.js');
let panes = 0;

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

export interface ConsolePane {
  /** Types a line and presses Enter. */
  type(line: string): Promise<void>;
  /** Waits until the screen matches, and returns the match. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Everything the pane shows, scrollback included. */
  screen(): Promise<string>;
  /** Waits for the command to end, and returns its exit status. */
  exitCode(): Promise<number>;
  close(): Promise<void>;
}

/** Runs `twofold console <args>` in a new pseudo-terminal. */
export async function consoleInTerminal(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ConsolePane> {
  const socket = `twofold-console-${process.pid}-${++panes}`;
  const tmux = (...more: string[]) => run('tmux', ['-L', socket, '-f', '/dev/null', ...more], { env: { ...process.env, ...env } });
  // The shell prints the exit status and keeps the pane open, so the test reads both.
  const command = `${[process.execPath, BIN, 'console', ...args].map(quote).join(' ')}; echo "[exit $?]"; sleep 600`;
  await tmux('new-session', '-d', '-s', 'console', '-x', '200', '-y', '100', command);
  const screen = async () => (await tmux('capture-pane', '-p', '-J', '-t', 'console', '-S', '-2000')).stdout;
  const pane: ConsolePane = {
    async type(line) {
      if (line) await tmux('send-keys', '-t', 'console', '-l', '--', line);
      await tmux('send-keys', '-t', 'console', 'Enter');
    },
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let text = '';
      while (Date.now() < deadline) {
        text = await screen();
        const match = text.match(pattern);
        if (match) return match;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.fail(`the console never showed ${pattern} on:\n${text}`);
    },
    screen,
    async exitCode() {
      return Number((await pane.waitFor(/\[exit (\d+)\]/))[1]);
    },
    async close() {
      await tmux('kill-server').catch(() => {});
    },
  };
  return pane;
}

/** What an authenticator app shows for `secret` at `at` (oathtool, RFC 6238). */
export async function oathtool(secret: string, at: Date = new Date()): Promise<string> {
  const now = at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const { stdout } = await run('oathtool', ['--totp', '-b', `--now=${now}`, secret]);
  return stdout.trim();
}
