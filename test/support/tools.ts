/**
 * The programs some tests need that npm cannot provide, and what `npm test` does when one is missing:
 * install it where it can (as root on Debian), otherwise stop before running anything with one line
 * that names the command to run. No test is skipped because a program is absent.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ToolRule {
  /** The command looked up on PATH. */
  readonly command: string;
  /** Whether this test file (a path relative to the repository, with `/`) needs the command. */
  readonly neededBy: (file: string) => boolean;
  /** Debian's package providing it. */
  readonly debianPackage: string;
  /** What follows `brew install` on macOS. */
  readonly brewPackage: string;
}

/** The website's tests that run in Chromium: test/web/<name>.browser.test.ts. */
export function isBrowserTest(file: string): boolean {
  return file.startsWith('test/web/') && file.endsWith('.browser.test.ts');
}

/** The terminal console's tests, which drive `twofold console` in tmux: test/cli/console-<name>.test.ts. */
export function isConsoleTerminalTest(file: string): boolean {
  return file.startsWith('test/cli/console-') && file.endsWith('.test.ts');
}

/**
 * One row per program. A rule asks only for the test files that use the program, so `npm test --
 * core` needs none of them, and a rule whose tests do not exist yet asks nothing of anybody.
 */
export const TOOL_RULES: readonly ToolRule[] = [
  // The end-to-end TOTP test compares Twofold's codes with oathtool's (its file name says so); the
  // browser tests read the codes a member's authenticator app would show from oathtool too.
  { command: 'oathtool', neededBy: (file) => file.includes('oathtool') || isBrowserTest(file) || isConsoleTerminalTest(file), debianPackage: 'oathtool', brewPackage: 'oath-toolkit' },
  // The terminal console's tests type into it through a pseudo-terminal that tmux provides.
  { command: 'tmux', neededBy: isConsoleTerminalTest, debianPackage: 'tmux', brewPackage: 'tmux' },
  // The website's browser tests drive Debian's Chromium through playwright-core.
  { command: 'chromium', neededBy: isBrowserTest, debianPackage: 'chromium', brewPackage: '--cask chromium' },
];

/** What the machine running the tests is and allows. */
export interface TestHost {
  /** Found on PATH. */
  readonly has: (command: string) => boolean;
  /** Root on a system with apt-get: missing packages can be installed without asking anybody. */
  readonly canAptInstall: boolean;
}

export type ToolPlan =
  | { readonly kind: 'ready' }
  | { readonly kind: 'install'; readonly debianPackages: readonly string[]; readonly line: string }
  | { readonly kind: 'stop'; readonly line: string };

/** What is missing for these test files, and what to do about it. */
export function planTools(files: readonly string[], host: TestHost, rules: readonly ToolRule[] = TOOL_RULES): ToolPlan {
  const missing = rules.filter((rule) => files.some((file) => rule.neededBy(file)) && !host.has(rule.command));
  if (missing.length === 0) return { kind: 'ready' };
  const commands = missing.map((rule) => rule.command).join(' and ');
  const debianPackages = missing.map((rule) => rule.debianPackage);
  if (host.canAptInstall) {
    return { kind: 'install', debianPackages, line: `npm test needs ${commands}: installing ${debianPackages.join(' ')} with apt-get` };
  }
  const brew = missing.map((rule) => `brew install ${rule.brewPackage}`).join(' && ');
  return { kind: 'stop', line: `npm test needs ${commands}: run  sudo apt-get install ${debianPackages.join(' ')}  (or  ${brew} )` };
}

/**
 * Makes sure the programs these test files need are there. Resolves when they are; rejects with the
 * one line to show when they are not and cannot be installed here.
 *
 * TWOFOLD_TEST_INSTALL_TOOLS=0 never installs (say, a packager's build as root): it only names what to run.
 */
export async function ensureTools(files: readonly string[]): Promise<void> {
  const mayInstall = process.env.TWOFOLD_TEST_INSTALL_TOOLS !== '0';
  const host: TestHost = {
    has: onPath,
    canAptInstall: mayInstall && process.getuid?.() === 0 && onPath('apt-get'),
  };
  const plan = planTools(files, host);
  if (plan.kind === 'ready') return;
  if (plan.kind === 'stop') throw new Error(plan.line);

  console.log(plan.line);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await quietly('apt-get', ['update', '-qq'], env);
  await quietly('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...plan.debianPackages], env);
  const after = planTools(files, { has: onPath, canAptInstall: false });
  if (after.kind !== 'ready') throw new Error(after.line);
}

/** An executable file of that name in a directory on PATH. */
export function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean).some((dir) => isExecutable(join(dir, command)));
}

function isExecutable(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command with its output hidden; rejects with its last lines of stderr. */
function quietly(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' ')}`));
    });
  });
}
