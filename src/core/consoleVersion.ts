/**
 * Technician Console versions. product.md "Desktop Technician Console versions": consoles 7.50.3572 and
 * earlier cannot use the email method and ignore the primary method. This file only decides which
 * consoles those are; what they are offered lives in offeredFactors.ts.
 */
import type { ClientInfo } from './model.ts';

/** The newest console version that still behaves the old way (product.md). */
export const LAST_LEGACY_CONSOLE_VERSION = '7.50.3572';

/** Longer version strings are not versions; refusing them keeps the comparison cheap. */
const MAX_VERSION_LENGTH = 64;
const VERSION_PATTERN = /^\d+(?:\.\d+)*$/;

/**
 * Splits a version into its numeric segments, or returns `null` when the text is not a dotted list of
 * decimal numbers (e.g. `"7.50.3572"` → `["7","50","3572"]`; `"7.x"`, `"7.50-beta"`, `""` → `null`).
 * Segments stay strings, without leading zeros, so that arbitrarily long numbers compare exactly.
 */
export function parseVersion(text: string): string[] | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_VERSION_LENGTH) return null;
  if (!VERSION_PATTERN.test(trimmed)) return null;
  return trimmed.split('.').map((segment) => segment.replace(/^0+(?=\d)/, ''));
}

/** Compares two decimal integers written without leading zeros. */
function compareSegment(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares versions by numeric dot segments: negative when `a` is older, 0 when equal, positive when
 * newer. Segments compare as numbers, not text (7.50.3572 < 7.100.0), and missing trailing segments
 * count as 0 (7.50 = 7.50.0).
 *
 * @throws RangeError when either version is unparseable (see {@link parseVersion}); callers that take
 *   versions from clients should parse first, as {@link isLegacyConsole} does.
 */
export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (left === null || right === null) {
    throw new RangeError(`Unparseable version: ${JSON.stringify(left === null ? a : b)}`);
  }
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const order = compareSegment(left[i] ?? '0', right[i] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Whether `client` is a Technician Console of version 7.50.3572 or earlier. A console that sends no
 * version, or one that cannot be parsed, is not legacy: it follows the primary method like the
 * website, because guessing "old" would hide the email method from consoles that support it.
 */
export function isLegacyConsole(client: ClientInfo): boolean {
  if (client.kind !== 'technician-console' || client.version === undefined) return false;
  if (parseVersion(client.version) === null) return false;
  return compareVersions(client.version, LAST_LEGACY_CONSOLE_VERSION) <= 0;
}
