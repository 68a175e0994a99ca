/**
 * Console versions (docs/product-behaviour.md "Technician Console versions"): 7.50.3572 and earlier are
 * legacy. Versions compare as semantic versions: by numeric segments, so 7.100.0 is newer than
 * 7.50.3572 even though "1" < "5", and a pre-release before its release (7.50.3572-beta is legacy).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, isLegacyConsole, parseVersion } from '../../src/core/consoleVersion.ts';

describe('compareVersions', () => {
  const cases: Array<[string, string, -1 | 0 | 1]> = [
    ['7.50.3572', '7.100.0', -1],
    ['7.50.3572', '7.50.3572', 0],
    ['7.50.3571', '7.50.3572', -1],
    ['7.50.3573', '7.50.3572', 1],
    ['7.50', '7.50.0', 0],
    ['7.50', '7.50.0.0.1', -1],
    ['7', '6.999.999', 1],
    ['7.050.3572', '7.50.3572', 0],
    ['10.0', '9.99', 1],
    ['7.50.3572', '7.50.3572.1', -1],
    ['123456789012345678901234567890', '123456789012345678901234567891', -1],
    // Semantic versioning: a pre-release comes before its release, build metadata does not count.
    ['7.50.3572-beta', '7.50.3572', -1],
    ['7.50.3572-beta', '7.50.3571', 1],
    ['7.50.3573-beta', '7.50.3572', 1],
    ['7.50.3572-alpha', '7.50.3572-beta', -1],
    ['7.50.3572-beta', '7.50.3572-beta.1', -1],
    ['7.50.3572-beta.2', '7.50.3572-beta.10', -1],
    ['7.50.3572-beta.02', '7.50.3572-beta.2', 0],
    ['7.50.3572-1', '7.50.3572-beta', -1],
    ['7.50.3572-rc.1', '7.50.3572-beta.11', 1],
    ['7.50.3572-RC', '7.50.3572-rc', -1],
    ['7.50.3572+build.7', '7.50.3572', 0],
    ['7.50.3572-beta+build.7', '7.50.3572-beta', 0],
    ['7.50.3572-beta+build.7', '7.50.3572', -1],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a} vs ${b} → ${expected}`, () => {
      assert.equal(Math.sign(compareVersions(a, b)), expected);
      assert.equal(Math.sign(compareVersions(b, a)), -expected || 0);
    });
  }

  for (const bad of ['', ' ', '7.x', '7.50-', '7.50-beta..1', '7.50+', '7.50-beta_1', '7.50+build+1', 'v7.50', '7..50', '.7', '7.', '1e3', '7.50.3572 beta', '-1']) {
    test(`${JSON.stringify(bad)} is unparseable`, () => {
      assert.equal(parseVersion(bad), null);
      assert.throws(() => compareVersions(bad, '7.50.3572'), RangeError);
      assert.throws(() => compareVersions('7.50.3572', bad), RangeError);
    });
  }

  test('an absurdly long version is unparseable', () => {
    assert.equal(parseVersion('1.'.repeat(40) + '1'), null);
  });
});

describe('isLegacyConsole', () => {
  const cases: Array<[string, Parameters<typeof isLegacyConsole>[0], boolean]> = [
    ['console 7.50.3572 (the last legacy version)', { kind: 'technician-console', version: '7.50.3572' }, true],
    ['console 7.50.3571', { kind: 'technician-console', version: '7.50.3571' }, true],
    ['console 7.3', { kind: 'technician-console', version: '7.3' }, true],
    ['console 6.999', { kind: 'technician-console', version: '6.999' }, true],
    ['console 7.50.3573', { kind: 'technician-console', version: '7.50.3573' }, false],
    ['console 7.100.0 (numeric, not text, order)', { kind: 'technician-console', version: '7.100.0' }, false],
    ['console 7.51', { kind: 'technician-console', version: '7.51' }, false],
    ['console 7.50.3572-beta (a pre-release of the last legacy version)', { kind: 'technician-console', version: '7.50.3572-beta' }, true],
    ['console 7.50.3572+build.9 (build metadata does not count)', { kind: 'technician-console', version: '7.50.3572+build.9' }, true],
    ['console 7.50.3573-beta (a pre-release of a newer version)', { kind: 'technician-console', version: '7.50.3573-beta' }, false],
    ['console with surrounding spaces " 7.50.3572 "', { kind: 'technician-console', version: ' 7.50.3572 ' }, true],
    ['console without a version follows the primary', { kind: 'technician-console' }, false],
    ['console with an unparseable version follows the primary', { kind: 'technician-console', version: 'old' }, false],
    ['console with an empty version', { kind: 'technician-console', version: '' }, false],
    ['the website is never legacy, whatever it sends', { kind: 'website', version: '1.0' }, false],
  ];
  for (const [name, client, expected] of cases) {
    test(`${name} → ${expected}`, () => assert.equal(isLegacyConsole(client), expected));
  }
});
