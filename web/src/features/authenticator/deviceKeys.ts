/**
 * The device's key and signatures as docs/push-protocol.md defines them: an ECDSA P-256 key pair
 * made by WebCrypto with a non-extractable private key, its public key sent as SPKI DER in
 * base64url, and signatures over UTF-8 texts in IEEE P1363 form (what WebCrypto's `sign` returns).
 */
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

export type Decision = 'approve' | 'deny' | 'deny_and_report';

export function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new key pair: the private key cannot be exported, the public one is what the server keeps. */
export async function newDeviceKey(): Promise<{ privateKey: CryptoKey; publicKey: string }> {
  const pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: base64url(await crypto.subtle.exportKey('spki', pair.publicKey)) };
}

async function sign(key: CryptoKey, lines: readonly string[]): Promise<string> {
  return base64url(await crypto.subtle.sign(SIGNING, key, new TextEncoder().encode(lines.join('\n'))));
}

export const decisionText = (requestId: string, number: string, decision: Decision): string[] =>
  ['twofold-push-decision-v1', requestId, number, decision];

export const signDecision = (key: CryptoKey, requestId: string, number: string, decision: Decision): Promise<string> =>
  sign(key, decisionText(requestId, number, decision));

/** The header that authenticates a device's request (`Twofold-Device`), made fresh for each one. */
export const DEVICE_HEADER = 'Twofold-Device';

export async function deviceAuthorization(key: CryptoKey, deviceId: string, method: string, path: string, now = Date.now()): Promise<string> {
  const signature = await sign(key, ['twofold-push-device-v1', method.toUpperCase(), path, deviceId, String(now)]);
  return `${deviceId}.${now}.${signature}`;
}

/** The token of a pairing link (`…/authenticator#pair=<token>`), or of the bare token pasted alone. */
export function pairingTokenOf(text: string): string | null {
  const trimmed = text.trim();
  const fromLink = /[#&]pair=([A-Za-z0-9_-]{20,100})(?:&|$)/.exec(trimmed);
  if (fromLink?.[1]) return fromLink[1];
  return /^[A-Za-z0-9_-]{20,100}$/.test(trimmed) ? trimmed : null;
}
