/**
 * Where `twofold console` keeps its session: one JSON file, mode 0600 in a 0700 directory, under the
 * user's config directory ($XDG_CONFIG_HOME/twofold, else ~/.config/twofold; `--config-dir` overrides).
 * The token is a bearer credential: nobody else on the machine may read it, and it is written whole
 * (a new file renamed into place), so a crash never leaves half a token.
 */
import { chmodSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, closeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface ConsoleSession {
  readonly server: string;
  readonly email: string;
  readonly token: string;
  readonly expiresAt: string;
  readonly consoleVersion: string;
}

const FILE_NAME = 'console-session.json';

export function configDirectory(override: string | undefined, env: NodeJS.ProcessEnv): string {
  if (override) return override;
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'twofold');
}

export const sessionFilePath = (directory: string): string => join(directory, FILE_NAME);

export function readSession(directory: string): ConsoleSession | null {
  let text: string;
  try {
    text = readFileSync(sessionFilePath(directory), 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<ConsoleSession>;
  if (typeof parsed.server !== 'string' || typeof parsed.token !== 'string') return null;
  return {
    server: parsed.server, token: parsed.token, email: String(parsed.email ?? ''), expiresAt: String(parsed.expiresAt ?? ''),
    consoleVersion: String(parsed.consoleVersion ?? ''),
  };
}

export function writeSession(directory: string, session: ConsoleSession): string {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const path = sessionFilePath(directory);
  const temporary = `${path}.${randomBytes(6).toString('hex')}`;
  // Created with 0600 from the start: never a moment where the token is readable by others.
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(session, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return path;
}

export function deleteSession(directory: string): void {
  rmSync(sessionFilePath(directory), { force: true });
}
