/**
 * The one-time setup token that guards the first-run page. A fresh server listens on every
 * interface, so without it the first visitor of `/` would become Master Account Holder. While the
 * deployment has no organization, `serve` creates the token (256 random bits) in `setup-token` in the
 * data directory (mode 0600), prints the link that carries it, and the first-run request must present
 * it. Creating the organization spends it: the file is deleted and the token forgotten.
 *
 * It lives in the data directory of the node that printed it, not in the database: the link works on
 * that node only (behind a load balancer of several nodes, open it on that node, or run
 * `twofold init` there instead), and nothing about it outlives the first run.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newToken, safeEqual } from './tokens.ts';

export const SETUP_TOKEN_FILE = 'setup-token';
/** 32 bytes in base64url: what {@link newToken} writes; anything else in the file is replaced. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface SetupToken {
  /** The token itself, for the start-up message and nothing else. */
  readonly value: string;
  /** True when `candidate` is the unspent token; compared in constant time. */
  matches(candidate: string | undefined): boolean;
  /** Spends it: forgotten at once, its file deleted. */
  spend(): void;
}

/**
 * The setup token while the deployment needs one (no organization yet), else null. A token already in
 * the file is kept, so a restart does not break the link printed before it; once an organization
 * exists (made by `twofold init` meanwhile, say), a leftover file is deleted.
 */
export function openSetupToken(dataDir: string, needed: boolean): SetupToken | null {
  const file = join(dataDir, SETUP_TOKEN_FILE);
  if (!needed) {
    rmSync(file, { force: true });
    return null;
  }
  let value = readToken(file);
  if (value === null) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    value = newToken(32);
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return setupTokenOf(value, () => {
    // The organization exists by now, which alone makes the token useless; a file left behind (a
    // read-only data directory, say) is deleted at the next start, and must not turn the answer into a 500.
    try { rmSync(file, { force: true }); } catch { /* see above */ }
  });
}

/** A token held in memory only, e.g. for tests; `onSpend` removes whatever stores it. */
export function setupTokenOf(value: string, onSpend: () => void = () => {}): SetupToken {
  let pending = true;
  return {
    value,
    matches: (candidate) => pending && typeof candidate === 'string' && safeEqual(candidate, value),
    spend() {
      pending = false;
      onSpend();
    },
  };
}

function readToken(file: string): string | null {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return TOKEN_SHAPE.test(text) ? text : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
