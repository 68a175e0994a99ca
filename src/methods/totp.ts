/**
 * TOTP, "any other authenticator app" (docs/product-behaviour.md G2, the methods): RFC 6238 over RFC 4226 HOTP with HMAC-SHA1,
 * 6 digits and 30-second steps, the parameters every authenticator app supports. Code generation is
 * the `otpauth` library's; the comparison, the window and the clock are ours: the server's clock comes
 * in as an argument (docs/security.md S7) and codes are compared in constant time (docs/security.md S11).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { HOTP, Secret } from 'otpauth';
import QRCode from 'qrcode';

export const TOTP_ALGORITHM = 'SHA1';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** docs/security.md S8 (RFC 4226 §4, NIST §3.1.4.1): at least 160 bits from a CSPRNG. */
export const TOTP_SEED_BYTES = 20;
/** docs/security.md S7 (RFC 6238 §5.2): the current step ±1 at most. */
export const MAX_TOTP_WINDOW = 1;

/** QR options shared by the SVG and by tests that rebuild the same symbol. */
export const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** A new random 160-bit TOTP seed. Seal it before storing (crypto/secretBox.ts); never log it. */
export function generateTotpSeed(): Buffer {
  return randomBytes(TOTP_SEED_BYTES);
}

/** An otpauth `Secret` over a copy of `seed`: a pooled Buffer's `.buffer` holds other bytes too. */
function toSecret(seed: Uint8Array): Secret {
  return new Secret({ buffer: Uint8Array.from(seed).buffer });
}

/** The seed as RFC 4648 base32 without padding, as authenticator apps and `oathtool -b` read it. */
export function seedToBase32(seed: Uint8Array): string {
  return toSecret(seed).base32.replace(/=+$/, '');
}

/** RFC 4226 HOTP value of `seed` at `counter`, as a zero-padded decimal string. */
export function hotp(seed: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  return HOTP.generate({ secret: toSecret(seed), algorithm: TOTP_ALGORITHM, digits, counter });
}

/** The TOTP code of `seed` for time step `step` (RFC 6238 §4: TOTP = HOTP(K, T)). */
export function totpCode(seed: Uint8Array, step: number, digits = TOTP_DIGITS): string {
  return hotp(seed, step, digits);
}

/** The RFC 6238 time step of `now`: whole 30-second periods since the Unix epoch (T0 = 0). */
export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step whose code `code` is, among the current step at `now` and `window` steps either side,
 * or `null`. Every candidate is generated and compared in constant time, without stopping at the
 * first match, so timing says nothing about which step matched. The caller then enforces single use
 * by storing the step only if it is after the factor's last accepted step (docs/security.md S1).
 *
 * @param code - exactly 6 ASCII digits; anything else does not match (callers strip spaces).
 * @param window - 0 or 1; wider windows are refused (docs/security.md S7).
 */
export function matchTotpStep(
  seed: Uint8Array,
  code: string,
  now: Date,
  window = MAX_TOTP_WINDOW,
): number | null {
  if (!Number.isInteger(window) || window < 0 || window > MAX_TOTP_WINDOW) {
    throw new RangeError(`TOTP window must be 0..${MAX_TOTP_WINDOW}, got ${window}`);
  }
  if (!/^[0-9]{6}$/.test(code)) return null;
  const current = totpStepAt(now);
  const secret = toSecret(seed);
  // Both are exactly six ASCII digits, so they compare in constant time as they are.
  const given = Buffer.from(code, 'latin1');
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    const candidate = HOTP.generate({ secret, algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, counter: step });
    // Later steps overwrite earlier ones: on the one-in-a-million chance that two steps share a
    // code, the later step is recorded, which refuses more replays rather than fewer.
    if (timingSafeEqual(Buffer.from(candidate, 'latin1'), given)) matched = step;
  }
  return matched;
}

/** Characters the Key Uri Format forbids inside the issuer or account (it separates them with ":"). */
function labelPart(text: string): string {
  return encodeURIComponent(text.replace(/\s*:\s*/g, ' ').trim());
}

/**
 * The key URI an authenticator app scans (Google Authenticator "Key Uri Format", docs/security.md "The key URI"):
 * `otpauth://totp/ISSUER:ACCOUNT?secret=BASE32NOPAD&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`.
 * Issuer and account are percent-encoded (spaces as `%20`, not `+`); a colon in either, which the
 * format forbids, becomes a space. The URI carries the seed: show it only inside the setup flow and
 * never log it.
 */
export function otpauthUri(params: { seed: Uint8Array; issuer: string; account: string }): string {
  const issuer = labelPart(params.issuer);
  const account = labelPart(params.account);
  const query = [
    `secret=${seedToBase32(params.seed)}`,
    `issuer=${issuer}`,
    `algorithm=${TOTP_ALGORITHM}`,
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_PERIOD_SECONDS}`,
  ].join('&');
  return `otpauth://totp/${issuer}:${account}?${query}`;
}

/** An SVG QR code of `text` (the key URI), for the setup screen's "scan this" step. */
export function qrCodeSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' });
}
