/**
 * Random tokens, ids and codes from the operating system's CSPRNG, and constant-time comparison.
 * Tokens are capabilities (sessions, sign-in transactions, invitations): only {@link hashToken} of one
 * is stored (style.md, after Lucia's session guide; security.md 22).
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { v7 as uuidV7 } from 'uuid';

/** security.md 22 and design-notes: tokens carry at least 128 random bits. */
const MIN_TOKEN_BYTES = 16;

/**
 * A new random token of `bytes` bytes (default 32 = 256 bits), base64url without padding, so it fits
 * in cookies, URLs and headers unchanged.
 * @throws RangeError when `bytes` is below 16 (128 bits).
 */
export function newToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_TOKEN_BYTES) {
    throw new RangeError(`A token needs at least ${MIN_TOKEN_BYTES} random bytes, got ${bytes}`);
  }
  return randomBytes(bytes).toString('base64url');
}

/**
 * The SHA-256 of a token, hex: what storage keeps and looks tokens up by. A plain hash suffices
 * because tokens carry at least 128 random bits, unlike passwords.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Compares two secrets in constant time (security.md 11; ASVS 11.2.4). Both are hashed first so the
 * comparison runs on fixed-length digests: `timingSafeEqual` needs equal lengths, and comparing
 * lengths directly would leak them.
 */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/**
 * A new row id: a UUID v7 (RFC 9562), a millisecond timestamp then random bits, increasing within a
 * process. Rows written together land on the same index pages, so a commit writes a few pages instead
 * of one per row, and ordering by id orders by creation. Ids are not secrets; never use one as a
 * capability.
 */
export function newId(): string {
  return uuidV7();
}

/**
 * `n` uniformly random decimal digits (default 6), for sent codes (security.md 5: at least 6 digits
 * from a CSPRNG). Each digit comes from `crypto.randomInt`, which avoids modulo bias.
 */
export function randomDigits(n = 6): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Digit count must be positive: ${n}`);
  let digits = '';
  for (let i = 0; i < n; i++) digits += String(randomInt(10));
  return digits;
}
