/**
 * The deployment's secret key and the keys derived from it. One 32-byte key comes from
 * `TWOFOLD_SECRET_KEY` or from `secret.key` in the data directory (created on first start, mode
 * 0600); HKDF derives separate keys for encryption at rest and for hashing sent codes, so no key
 * serves two purposes.
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSecretKey } from './secretBox.ts';

export interface DerivedKeys {
  /** AES-256-GCM key for TOTP seeds. */
  readonly encryption: Buffer;
  /** HMAC-SHA-256 key for sent codes, so a database dump cannot be brute-forced offline. */
  readonly codeMac: Buffer;
}

export interface LoadedKey {
  readonly keys: DerivedKeys;
  /** Where the key came from, for the start-up log (never the key). */
  readonly source: string;
}

export function loadSecretKey(secretKeyText: string | undefined, dataDir: string): LoadedKey {
  if (secretKeyText) return { keys: deriveKeys(parseSecretKey(secretKeyText)), source: 'TWOFOLD_SECRET_KEY' };
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // 'wx' fails if another process created the file meanwhile; then we read theirs.
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return { keys: deriveKeys(parseSecretKey(readFileSync(file, 'utf8').trim())), source: file };
}

export function deriveKeys(master: Buffer): DerivedKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  return { encryption: derive('twofold seeds v1'), codeMac: derive('twofold codes v1') };
}

/** The stored form of a sent code: bound to its transaction and factor, keyed, fixed length. */
export function macCode(key: Buffer, transactionId: string, factorId: string, code: string): string {
  return createHmac('sha256', key).update(`${transactionId}\0${factorId}\0${code}`).digest('hex');
}
