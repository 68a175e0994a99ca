/**
 * Encryption of secrets at rest (TOTP seeds, docs/security.md S8) with AES-256-GCM.
 *
 * Sealed format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url: a 12-byte random IV (the GCM
 * standard size, NIST SP 800-38D §8.2.2), the 16-byte authentication tag, then the ciphertext. The
 * version prefix leaves room for key rotation. The associated data binds a ciphertext to its row (e.g.
 * the factor id): a ciphertext copied into another row does not open there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Seals and opens secrets with one key. */
export interface SecretBox {
  /** Encrypts `plaintext`, bound to `associatedData`. Every call uses a fresh random IV. */
  seal(plaintext: Buffer, associatedData: string): string;
  /**
   * Decrypts what {@link SecretBox.seal} made with the same key and associated data.
   * @throws Error when the text is malformed, tampered with, sealed with another key, or bound to
   *   other associated data (the message does not say which, on purpose).
   */
  open(sealed: string, associatedData: string): Buffer;
}

/** A {@link SecretBox} over a 32-byte key (see {@link parseSecretKey}). */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) {
    throw new RangeError(`The secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
  const ownKey = Buffer.from(key); // a copy: later changes to the caller's buffer must not reach us

  return {
    seal(plaintext, associatedData) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, ownKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const tag = cipher.getAuthTag();
      const parts = [iv, tag, ciphertext].map((part) => part.toString('base64url'));
      return [VERSION, ...parts].join('.');
    },

    open(sealed, associatedData) {
      const parts = sealed.split('.');
      const [version, ivText, tagText, ciphertextText] = parts;
      if (
        parts.length !== 4 ||
        version !== VERSION ||
        ivText === undefined ||
        tagText === undefined ||
        ciphertextText === undefined ||
        ![ivText, tagText, ciphertextText].every((p) => BASE64URL.test(p))
      ) {
        throw new Error('Cannot open sealed secret: not a v1 sealed value');
      }
      const iv = Buffer.from(ivText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new Error('Cannot open sealed secret: not a v1 sealed value');
      }
      const decipher = createDecipheriv(ALGORITHM, ownKey, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        const ciphertext = Buffer.from(ciphertextText, 'base64url');
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch (cause) {
        throw new Error('Cannot open sealed secret: wrong key, wrong associated data, or tampered', {
          cause,
        });
      }
    },
  };
}

/**
 * Reads a 32-byte key from configuration text: 64 hex characters, or base64 / base64url (padding
 * optional) of exactly 32 bytes. Surrounding whitespace is ignored.
 * @throws Error naming the accepted forms otherwise; the message never repeats the text.
 */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    // Node's base64 decoder accepts both alphabets; the regex above keeps out anything else.
    const key = Buffer.from(trimmed, 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new Error(
    'The secret key must be 32 bytes written as 64 hex characters or as base64/base64url ' +
      '(e.g. the output of `openssl rand -base64 32`)',
  );
}
