/**
 * Random tokens, ids and codes from the operating system's CSPRNG, and constant-time comparison.
 * Tokens are capabilities (sessions, sign-in transactions, invitations): only {@link hashToken} of one
 * is stored (after Lucia's session guide; docs/security.md S22).
 */
import { createHash, hash, randomFillSync, randomInt, timingSafeEqual } from 'node:crypto';

/** docs/security.md S22: tokens carry at least 128 random bits. */
const MIN_TOKEN_BYTES = 16;

/**
 * Random bytes are drawn from the CSPRNG 4 KiB at a time and handed out once each, as Node does for
 * `randomUUID`: one call into OpenSSL costs more than the insert a token or id is for. Each refill is
 * a new buffer, so bytes already handed out are never overwritten or handed out again.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomFromPool(bytes: number): Buffer {
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.alloc(bytes));
  if (poolOffset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return out;
}

/**
 * A new random token of `bytes` bytes (default 32 = 256 bits), base64url without padding, so it fits
 * in cookies, URLs and headers unchanged.
 * @throws RangeError when `bytes` is below 16 (128 bits).
 */
export function newToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_TOKEN_BYTES) {
    throw new RangeError(`A token needs at least ${MIN_TOKEN_BYTES} random bytes, got ${bytes}`);
  }
  return randomFromPool(bytes).toString('base64url');
}

/**
 * The SHA-256 of a token, hex: what storage keeps and looks tokens up by. A plain hash suffices
 * because tokens carry at least 128 random bits, unlike passwords.
 */
export function hashToken(token: string): string {
  // One call: every request with a session hashes its token, and `createHash` makes a hash object for it.
  return hash('sha256', token, 'hex');
}

/**
 * Compares two secrets in constant time (docs/security.md S11; ASVS 11.2.4). Both are hashed first so the
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
  const random = randomFromPool(16);
  let now = Date.now();
  if (now > lastIdMs) {
    // A fresh random counter each millisecond, its top bit clear so it can count up.
    idCounter = random.readUInt32BE(0) & 0x3fffffff;
    lastIdMs = now;
  } else {
    // Same millisecond (or the clock stepped back): count up, borrowing the next millisecond on overflow.
    idCounter++;
    if (idCounter > 0x7fffffff) {
      lastIdMs++;
      idCounter = 0;
    }
    now = lastIdMs;
  }
  // RFC 9562 §5.7 and §6.2 method 1: 48-bit Unix milliseconds, version 7, a 31-bit counter in
  // rand_a and the top of rand_b (after the variant bits), then 43 random bits.
  const id = Buffer.allocUnsafe(16);
  id.writeUIntBE(now, 0, 6);
  id[6] = 0x70 | ((idCounter >>> 27) & 0x0f);
  id[7] = (idCounter >>> 19) & 0xff;
  id[8] = 0x80 | ((idCounter >>> 13) & 0x3f);
  id[9] = (idCounter >>> 5) & 0xff;
  id[10] = ((idCounter << 3) & 0xf8) | (random[10]! & 0x07);
  random.copy(id, 11, 11, 16);
  const hex = id.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let lastIdMs = -1;
let idCounter = 0;

/**
 * The lowest id {@link newId} can make at `ms` (epoch milliseconds) or later: every id made earlier
 * sorts below it. Lets a query find old rows by a range of the primary key instead of a scan.
 */
export function firstIdAt(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/**
 * `n` uniformly random decimal digits (default 6), for sent codes (docs/security.md S5: at least 6 digits
 * from a CSPRNG). Each digit comes from `crypto.randomInt`, which avoids modulo bias.
 */
export function randomDigits(n = 6): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Digit count must be positive: ${n}`);
  let digits = '';
  for (let i = 0; i < n; i++) digits += String(randomInt(10));
  return digits;
}
