/**
 * Technician Console versions. docs/product-behaviour.md "Technician Console versions": consoles 7.50.3572 and
 * earlier cannot use the email method and ignore the primary method. This file only decides which
 * consoles those are; what they are offered lives in offeredFactors.ts.
 */
import type { ClientInfo } from './model.ts';

/** The newest console version that still behaves the old way (docs/product-behaviour.md "Technician Console versions"). */
export const LAST_LEGACY_CONSOLE_VERSION = '7.50.3572';

/** Longer version strings are not versions; refusing them keeps the comparison cheap. */
const MAX_VERSION_LENGTH = 64;
/**
 * Dotted decimal numbers, then optionally a pre-release (`-beta.2`) and build metadata (`+abc`) as
 * semantic versioning writes them.
 */
const VERSION_PATTERN = /^(\d+(?:\.\d+)*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const NUMERIC = /^\d+$/;

/** A parsed version: its numeric segments and its pre-release identifiers (empty for a release). */
export interface Version {
  readonly segments: readonly string[];
  readonly preRelease: readonly string[];
}

/** A decimal integer without its leading zeros, kept as text so that any length compares exactly. */
const withoutLeadingZeros = (digits: string): string => digits.replace(/^0+(?=\d)/, '');

/**
 * Parses a version, or returns `null` when the text is not one (e.g. `"7.50.3572"` → segments
 * `["7","50","3572"]`; `"7.50.3572-beta.2+build.9"` → the same segments and pre-release
 * `["beta","2"]`, the build metadata dropped; `"7.x"`, `"v7.50"`, `"7.50-"`, `""` → `null`).
 */
export function parseVersion(text: string): Version | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_VERSION_LENGTH) return null;
  const match = VERSION_PATTERN.exec(trimmed);
  if (!match) return null;
  return {
    segments: match[1]!.split('.').map(withoutLeadingZeros),
    preRelease: match[2] === undefined ? [] : match[2].split('.').map((id) => (NUMERIC.test(id) ? withoutLeadingZeros(id) : id)),
  };
}

/** Compares two decimal integers written without leading zeros. */
function compareNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semantic versioning's order of two pre-release identifiers: numbers by value, below any word; words in ASCII order. */
function compareIdentifiers(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) return compareNumbers(a, b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares versions as semantic versioning orders them: negative when `a` is older, 0 when equal,
 * positive when newer. Segments compare as numbers, not text (7.50.3572 < 7.100.0), and missing
 * trailing segments count as 0 (7.50 = 7.50.0). A pre-release comes before its release
 * (7.50.3572-beta < 7.50.3572 < 7.50.3573-beta); two pre-releases compare identifier by identifier
 * (beta.2 < beta.10 < rc), the shorter first when one begins the other (beta < beta.1). Build
 * metadata does not count (7.50.3572+7 = 7.50.3572).
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
  const length = Math.max(left.segments.length, right.segments.length);
  for (let i = 0; i < length; i++) {
    const order = compareNumbers(left.segments[i] ?? '0', right.segments[i] ?? '0');
    if (order !== 0) return order;
  }
  // A release is newer than any of its pre-releases.
  if (left.preRelease.length === 0 || right.preRelease.length === 0) {
    return (left.preRelease.length === 0 ? 1 : 0) - (right.preRelease.length === 0 ? 1 : 0);
  }
  const identifiers = Math.min(left.preRelease.length, right.preRelease.length);
  for (let i = 0; i < identifiers; i++) {
    const order = compareIdentifiers(left.preRelease[i]!, right.preRelease[i]!);
    if (order !== 0) return order;
  }
  return left.preRelease.length - right.preRelease.length;
}

/**
 * Whether `client` is a Technician Console of version 7.50.3572 or earlier, a pre-release of
 * 7.50.3572 included (it comes before the release, {@link compareVersions}). A console that sends no
 * version, or one that cannot be parsed, is not legacy: it follows the primary method like the
 * website, because guessing "old" would hide the email method from consoles that support it.
 */
export function isLegacyConsole(client: ClientInfo): boolean {
  if (client.kind !== 'technician-console' || client.version === undefined) return false;
  if (parseVersion(client.version) === null) return false;
  return compareVersions(client.version, LAST_LEGACY_CONSOLE_VERSION) <= 0;
}
