/**
 * The password policy of docs/product-behaviour.md "Password policy": at least 8 characters; Good = 3 kinds
 * with some repeats, Strong = 3 kinds without repeats or 4 with some, Excellent = 4 kinds without
 * repeats. A repeat is the same character twice in a row, case-sensitive ("aa", not "aA" or "abab").
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkPassword,
  MAXIMUM_PASSWORD_LENGTH,
  passwordExpiry,
  passwordStrength,
} from '../../src/core/passwordStrength.ts';
import type { PasswordStrength } from '../../src/core/model.ts';

describe('passwordStrength', () => {
  const cases: Array<[string, string, 'weak' | PasswordStrength]> = [
    ['7 characters, 4 kinds', 'aB3$eF7', 'weak'],
    ['empty', '', 'weak'],
    ['8 lowercase', 'abcdefgh', 'weak'],
    ['2 kinds', 'abcdEFGH', 'weak'],
    ['3 kinds with a repeat', 'abcdEFG11', 'good'],
    ['3 kinds with a repeat of a special', 'abcdEF!!', 'good'],
    ['3 kinds without repeats', 'abcdEFG1', 'strong'],
    ['3 kinds, "abab" is not a repeat', 'ababAB12', 'strong'],
    ['3 kinds, "aA" is not a repeat (case-sensitive)', 'aAbBcC12', 'strong'],
    ['4 kinds with a repeat', 'aaB3$eF7', 'strong'],
    ['4 kinds without repeats', 'aB3$eF7g', 'excellent'],
    ['a space counts as special', 'aB3 eF7g', 'excellent'],
    ['accented letters have case: é lower, É upper', 'éÉ3$abcd', 'excellent'],
    ['Arabic-Indic digits are digits', 'aB٣$eF7g', 'excellent'],
    ['uncased letters (CJK) count as special', '密码aB3eF7', 'excellent'],
    ['emoji are one character each: 7 code points is too short', 'aB3😀eF7', 'weak'],
    ['emoji are one character each: 8 code points', 'aB3😀eF7g', 'excellent'],
    ['the same emoji twice in a row is a repeat', 'aB3😀😀F7g', 'strong'],
  ];
  for (const [name, pw, expected] of cases) {
    test(`${name}: ${JSON.stringify(pw)} → ${expected}`, () => assert.equal(passwordStrength(pw), expected));
  }
});

describe('checkPassword', () => {
  type Expected = true | 'minimum_length' | 'maximum_length' | 'character_kinds' | 'repeated_characters';
  //      password        good                  strong                  excellent
  const table: Array<[string, Expected, Expected, Expected]> = [
    ['aB3$eF7', 'minimum_length', 'minimum_length', 'minimum_length'],
    ['abcdefgh', 'character_kinds', 'character_kinds', 'character_kinds'],
    ['abcdEFG11', true, 'repeated_characters', 'character_kinds'],
    ['abcdEFG1', true, true, 'character_kinds'],
    ['aaB3$eF7', true, true, 'repeated_characters'],
    ['aB3$eF7g', true, true, true],
    ['aB3$eF7g'.repeat(32), true, true, true],
    ['aB3$eF7g'.repeat(32) + 'x', 'maximum_length', 'maximum_length', 'maximum_length'],
  ];
  const levels: PasswordStrength[] = ['good', 'strong', 'excellent'];
  for (const [pw, ...expectations] of table) {
    levels.forEach((minimumStrength, i) => {
      const expected = expectations[i];
      test(`${JSON.stringify(pw.length > 20 ? `${pw.length} chars` : pw)} at ${minimumStrength} → ${expected}`, () => {
        const result = checkPassword(pw, { minimumStrength });
        if (expected === true) assert.deepEqual(result, { ok: true });
        else {
          assert.equal(result.ok, false);
          assert.equal(!result.ok && result.rule, expected);
        }
      });
    });
  }

  test('the maximum counts code points, not UTF-16 units', () => {
    const emoji = 'aB3😀'.repeat(MAXIMUM_PASSWORD_LENGTH / 4); // 256 code points, 320 UTF-16 units
    assert.deepEqual(checkPassword(emoji, { minimumStrength: 'good' }), { ok: true });
    assert.equal(checkPassword(emoji + 'x', { minimumStrength: 'good' }).ok, false);
  });

  test('messages name the rule in words an administrator understands', () => {
    const message = (pw: string, minimumStrength: PasswordStrength) => {
      const r = checkPassword(pw, { minimumStrength });
      assert.equal(r.ok, false);
      return r.ok ? '' : r.message;
    };
    assert.match(message('aB3$', 'good'), /at least 8 characters/);
    assert.match(message('x'.repeat(300), 'good'), /at most 256 characters/);
    assert.match(message('abcdefgh', 'good'), /at least 3 of: lowercase, uppercase, digits, special characters/);
    assert.match(message('abcdEFG1', 'excellent'), /all 4 of/);
    assert.match(message('abcdEFG11', 'strong'), /same character twice in a row.*or use all 4/);
    assert.doesNotMatch(message('aaB3$eF7', 'excellent'), /or use all 4/);
  });
});

describe('passwordExpiry', () => {
  const DAY = 86_400_000;
  const changedAt = new Date('2026-01-01T00:00:00Z');
  const at = (days: number) => new Date(changedAt.getTime() + days * DAY);
  const policy = { maximumAgeDays: 90, expiryNoticeDays: 14 };

  test('a maximum age of 0 never expires', () => {
    assert.deepEqual(passwordExpiry(changedAt, { maximumAgeDays: 0, expiryNoticeDays: 14 }, at(10_000)), {
      expired: false,
      expiresAt: null,
      noticeDue: false,
    });
  });

  const cases: Array<[string, number, boolean, boolean]> = [
    ['just changed', 0, false, false],
    ['the millisecond before the notice', 76 - 1 / DAY, false, false],
    ['the notice starts 14 days before expiry', 76, false, true],
    ['the last millisecond before expiry', 90 - 1 / DAY, false, true],
    ['expired at exactly 90 days; no notice once expired', 90, true, false],
    ['long expired', 400, true, false],
  ];
  for (const [name, days, expired, noticeDue] of cases) {
    test(name, () => {
      assert.deepEqual(passwordExpiry(changedAt, policy, at(days)), { expired, expiresAt: at(90), noticeDue });
    });
  }

  test('a notice period of 0 gives no notice', () => {
    assert.equal(passwordExpiry(changedAt, { maximumAgeDays: 90, expiryNoticeDays: 0 }, at(89.9)).noticeDue, false);
  });
});
