/**
 * Password hashing with argon2id at OWASP's minimum parameters (Password Storage Cheat Sheet:
 * m=19456 KiB, t=2, p=1), through @node-rs/argon2 which salts each hash with 16 random bytes. The
 * hashing itself runs on libuv's thread pool, sized for it (hashingThreads.ts).
 */
import { randomBytes } from 'node:crypto';
import { parseOptions } from '@node-rs/argon2';
import type { Algorithm, Options } from '@node-rs/argon2';
import { TwofoldError } from '../core/errors.ts';
import { hashOnThread, verifyOnThread } from './hashingThreads.ts';

// The package declares `Algorithm` as an ambient const enum, which isolated modules cannot read at
// run time; 2 is its Argon2id member. The hash-format test catches a mismatch.
const ARGON2ID: Algorithm = 2;

/** The parameters every new hash uses; `needsRehash` compares stored hashes against them. */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

/**
 * Unicode passwords are normalized to NFKC before hashing, as NIST SP 800-63B-4 §3.1.1.2 asks, so
 * the same password typed on two keyboards (composed "é" or "e" + combining accent) verifies.
 */
function normalize(pw: string): string {
  return pw.normalize('NFKC');
}

/** Hashes `pw` into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`). */
export function hashPassword(pw: string): Promise<string> {
  return hashOnThread(normalize(pw), PASSWORD_HASH_OPTIONS);
}

/**
 * Whether `pw` matches `storedHash`. A malformed stored hash answers `false` rather than throwing, so
 * a damaged row fails closed and looks like a wrong password to the caller (docs/security.md S24).
 * @throws TwofoldError `busy` when the hashing threads have too many passwords waiting.
 */
export async function verifyPassword(storedHash: string, pw: string): Promise<boolean> {
  try {
    return await verifyOnThread(storedHash, normalize(pw));
  } catch (error) {
    if (error instanceof TwofoldError) throw error;
    return false;
  }
}

/** Whether `storedHash` was made with other parameters than today's, so it should be rehashed at sign-in. */
export function needsRehash(storedHash: string): boolean {
  try {
    const o = parseOptions(storedHash);
    return (
      o.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      o.memoryCost !== PASSWORD_HASH_OPTIONS.memoryCost ||
      o.timeCost !== PASSWORD_HASH_OPTIONS.timeCost ||
      o.parallelism !== PASSWORD_HASH_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random password nobody knows, made once on first use with the same parameters as every
 * other hash, so verifying against it costs what a real verification costs.
 */
export function dummyPasswordHash(): Promise<string> {
  // Not kept if it failed (the threads were busy, say): the next sign-in makes it again.
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url')).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}

/**
 * Spends the time of one password verification and answers `false`. Sign-in calls it when the email
 * is unknown (or the account cannot sign in), so that case takes as long as a wrong password
 * (docs/security.md S24; ASVS 6.3.8).
 */
export async function verifyAgainstDummy(pw: string): Promise<false> {
  await verifyPassword(await dummyPasswordHash(), pw);
  return false;
}
