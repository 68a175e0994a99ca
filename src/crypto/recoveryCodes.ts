/**
 * Recovery codes: the way in when the member's phone is lost (docs/security.md S10; NIST SP 800-63B-4
 * §4.2.1). Each code is 80 random bits from the CSPRNG, written as 16 characters of Crockford's
 * base32 in four groups (`7k2m-9qxd-4hz0-c8wt`). Crockford's alphabet leaves out I, L, O and U, so a
 * code read off paper cannot be mistyped into another valid code; reading accepts either case, spaces
 * and dashes anywhere, and I/L as 1 and O as 0, as the alphabet's own decoding rules say.
 *
 * Only a SHA-256 of the canonical form is stored: 80 random bits need no slow hash (unlike passwords)
 * to resist an offline search of a stolen database.
 */
import { createHash, randomBytes } from 'node:crypto';
import { compactCode } from '../core/codeEntry.ts';
import { safeEqual } from './tokens.ts';

/** Codes issued at a time: enough for a year of lost phones, few enough to keep on paper. */
export const RECOVERY_CODE_COUNT = 10;
/** 80 bits: docs/security.md S10 asks for at least 64. */
export const RECOVERY_CODE_BYTES = 10;

/** Crockford's base32 alphabet: digits and letters without I, L, O, U. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CHARACTERS = (RECOVERY_CODE_BYTES * 8) / 5; // 16
const GROUP = 4;
/** Crockford's decoding: letters that look like a digit mean that digit. */
const LOOKALIKES: Readonly<Record<string, string>> = { i: '1', l: '1', o: '0' };

/**
 * The display form of 10 random bytes: 16 base32 characters, most significant bits first, in groups
 * of four joined by dashes.
 * @throws RangeError unless `bytes` is exactly {@link RECOVERY_CODE_BYTES} long.
 */
export function formatRecoveryCode(bytes: Uint8Array): string {
  if (bytes.length !== RECOVERY_CODE_BYTES) {
    throw new RangeError(`A recovery code is ${RECOVERY_CODE_BYTES} bytes, got ${bytes.length}`);
  }
  // 80 bits fit a BigInt exactly; 16 characters of 5 bits use every one of them, so no bit is wasted
  // and none is padding.
  let value = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  let text = '';
  for (let i = 0; i < CHARACTERS; i++) {
    text = ALPHABET[Number(value & 31n)]! + text;
    value >>= 5n;
  }
  return text.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}

/** A new set of {@link RECOVERY_CODE_COUNT} codes from the CSPRNG, in display form. Show once; never log. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => formatRecoveryCode(randomBytes(RECOVERY_CODE_BYTES)));
}

/**
 * The canonical form of what a member typed (16 lower-case alphabet characters), or null when it
 * cannot be a recovery code. Case, spaces and dashes do not matter; I and L read as 1, O as 0.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = compactCode(input).toLowerCase();
  if (compact.length !== CHARACTERS) return null;
  let canonical = '';
  for (const char of compact) {
    const mapped = LOOKALIKES[char] ?? char;
    if (!ALPHABET.includes(mapped)) return null;
    canonical += mapped;
  }
  return canonical;
}

/**
 * What storage keeps of a code: the hex SHA-256 of its canonical form, so the display form and any
 * way of typing it hash alike.
 * @throws RangeError when `code` is not a recovery code.
 */
export function hashRecoveryCode(code: string): string {
  const canonical = normalizeRecoveryCode(code);
  if (canonical === null) throw new RangeError('Not a recovery code');
  return createHash('sha256').update(`twofold-recovery-code:${canonical}`, 'utf8').digest('hex');
}

/**
 * The index in `hashes` of the stored hash that `input` matches, or null. Every hash is compared in
 * constant time and none is skipped after a match (docs/security.md S11), so timing says nothing about
 * which code, if any, was typed.
 */
export function matchRecoveryCode(input: string, hashes: readonly string[]): number | null {
  const canonical = normalizeRecoveryCode(input);
  // Still compare against every hash: a malformed code takes as long as a wrong one.
  const candidate = canonical === null ? '' : hashRecoveryCode(canonical);
  let matched: number | null = null;
  hashes.forEach((hash, index) => {
    if (safeEqual(hash, candidate) && canonical !== null) matched = index;
  });
  return matched;
}
