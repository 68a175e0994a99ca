/**
 * The rules the website's strength meter lists as a member types (`passwordRules`) say what the
 * server decides: every rule met exactly when `checkPassword` accepts the password, for each minimum
 * strength, over passwords built from every mix of kinds, lengths and repeats.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPassword, MAXIMUM_PASSWORD_LENGTH, passwordRules } from '../../src/core/passwordStrength.ts';
import type { PasswordStrength } from '../../src/core/model.ts';

const LEVELS: PasswordStrength[] = ['good', 'strong', 'excellent'];
const PIECES = ['a', 'B', '3', '$', 'é', 'aa', '11', ' ', '日'];

/** Every string of up to three pieces, padded to lengths around the minimum and past the maximum. */
function samples(): string[] {
  const found = new Set<string>(['']);
  for (const a of PIECES) for (const b of PIECES) for (const c of PIECES) {
    const core = a + b + c;
    for (const pad of ['', 'x', 'xyzw', 'xyzwvu', 'q'.repeat(MAXIMUM_PASSWORD_LENGTH)]) {
      found.add(core + pad);
      found.add(pad.replace(/./g, (ch, i: number) => (i % 2 === 0 ? ch : ch.toUpperCase())) + core);
    }
  }
  return [...found];
}

test('all the listed rules are met exactly when checkPassword accepts the password', () => {
  const passwords = samples();
  assert.ok(passwords.length > 1000);
  for (const level of LEVELS) {
    for (const pw of passwords) {
      const allMet = passwordRules(pw, level).every((rule) => rule.met);
      assert.equal(allMet, checkPassword(pw, { minimumStrength: level }).ok, `${level}: ${JSON.stringify(pw.slice(0, 20))}`);
    }
  }
});

test('each level lists its own rules, in the order a person fixes them', () => {
  const rules = (pw: string, level: PasswordStrength) => passwordRules(pw, level).map(({ rule, met }) => `${rule}:${met}`);
  assert.deepEqual(rules('abc', 'good'), ['minimum_length:false', 'three_kinds:false']);
  assert.deepEqual(rules('abcdEF11', 'strong'), ['minimum_length:true', 'three_kinds:true', 'no_repeats_or_four_kinds:false']);
  assert.deepEqual(rules('abcdEF1!1', 'excellent'), ['minimum_length:true', 'four_kinds:true', 'no_repeats:true']);
  assert.deepEqual(rules('aB3$'.repeat(65), 'good'), ['minimum_length:true', 'maximum_length:false', 'three_kinds:true']);
});
