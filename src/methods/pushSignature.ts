/**
 * The authenticator's device key and what it signs. A device registers an ECDSA P-256 public key (SPKI,
 * base64url); the server keeps only that key. Approve and Deny are signed over the request id, the
 * number the member typed and the decision, in one canonical text, so an approval of one request or
 * number cannot stand for another. Verified with node:crypto's WebCrypto, as a browser signs.
 */
import { webcrypto } from 'node:crypto';
import { TwofoldError } from '../core/errors.ts';

export type PushDecision = 'approve' | 'deny' | 'deny_and_report';

/** The exact bytes a device signs for a decision (UTF-8). Versioned so the format can change. */
export function decisionMessage(requestId: string, number: string, decision: PushDecision): Uint8Array {
  return new TextEncoder().encode(`twofold-push-decision-v1\n${requestId}\n${number}\n${decision}`);
}

/** The exact bytes a device signs to authenticate one HTTP request (method, path without query, device, time). */
export function deviceRequestMessage(method: string, path: string, deviceId: string, timestamp: string): Uint8Array {
  return new TextEncoder().encode(`twofold-push-device-v1\n${method.toUpperCase()}\n${path}\n${deviceId}\n${timestamp}`);
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Imports a device's public key (SPKI, base64url), refusing anything but an ECDSA P-256 key. */
export async function importDeviceKey(spkiBase64Url: string): Promise<webcrypto.CryptoKey> {
  try {
    return await webcrypto.subtle.importKey('spki', Buffer.from(spkiBase64Url, 'base64url'), ALGORITHM, false, ['verify']);
  } catch {
    throw new TwofoldError('validation_failed', 'The device key must be an ECDSA P-256 public key.', {
      errors: [{ field: 'body/publicKey', message: 'must be an ECDSA P-256 public key (SPKI, base64url)' }],
    });
  }
}

/**
 * Whether `signatureBase64Url` (IEEE P1363 r||s, as WebCrypto produces) is the device's signature of
 * the decision. False for a malformed signature as for a wrong one.
 */
export async function verifyDecision(
  key: webcrypto.CryptoKey, signatureBase64Url: string, requestId: string, number: string, decision: PushDecision,
): Promise<boolean> {
  const signature = Buffer.from(signatureBase64Url, 'base64url');
  if (signature.length !== 64) return false;
  return webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, decisionMessage(requestId, number, decision));
}
