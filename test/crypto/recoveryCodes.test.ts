/**
 * Recovery codes as text: docs/security.md S10 (at least 64 random bits, stored hashed) and S11 (compared in
 * constant time). 80 bits become 16 characters of Crockford's base32 in groups of four; what a member
 * types is read forgivingly (case, spaces, dashes, I/L/O) but never into another code.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  RECOVERY_CODE_BYTES, RECOVERY_CODE_COUNT, formatRecoveryCode, hashRecoveryCode, matchRecoveryCode, newRecoveryCodes,
  normalizeRecoveryCode,
} from '../../src/crypto/recoveryCodes.ts';

const FORMAT = /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/;

describe('formatRecoveryCode', () => {
  test('known answers: all zeros, all ones, and 0x00…01 put the bits most significant first', () => {
    assert.equal(formatRecoveryCode(new Uint8Array(10)), '0000-0000-0000-0000');
    assert.equal(formatRecoveryCode(new Uint8Array(10).fill(0xff)), 'zzzz-zzzz-zzzz-zzzz');
    assert.equal(formatRecoveryCode(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1])), '0000-0000-0000-0001');
    // 0x84 = 10000 100..: the first character is 16 ('g'), the second starts with 1.
    assert.equal(formatRecoveryCode(Uint8Array.from([0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0])), 'gg00-0000-0000-0000');
  });

  test('each of the 80 bits changes the code: none is dropped', () => {
    const seen = new Set<string>();
    for (let bit = 0; bit < 80; bit++) {
      const bytes = new Uint8Array(10);
      bytes[bit >> 3] = 0x80 >> (bit & 7);
      seen.add(formatRecoveryCode(bytes));
    }
    assert.equal(seen.size, 80);
    assert.ok(!seen.has('0000-0000-0000-0000'));
  });

  test('exactly 10 bytes', () => {
    assert.throws(() => formatRecoveryCode(new Uint8Array(9)), RangeError);
    assert.throws(() => formatRecoveryCode(new Uint8Array(11)), RangeError);
  });
});

describe('newRecoveryCodes', () => {
  test('ten codes of 80 bits in the unambiguous alphabet, all different', () => {
    assert.equal(RECOVERY_CODE_BYTES * 8, 80);
    const codes = newRecoveryCodes();
    assert.equal(codes.length, RECOVERY_CODE_COUNT);
    assert.equal(RECOVERY_CODE_COUNT, 10);
    for (const code of codes) {
      assert.match(code, FORMAT);
      assert.doesNotMatch(code, /[ilou]/);
    }
    assert.equal(new Set(codes).size, 10);
  });

  test('every character of the alphabet turns up, evenly enough to be random', () => {
    const counts = new Map<string, number>();
    for (const code of newRecoveryCodes(1000)) {
      for (const char of code.replaceAll('-', '')) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    assert.equal(counts.size, 32);
    // 16,000 characters over 32 symbols: 500 expected each; 400..600 is more than 4 standard deviations.
    for (const [char, n] of counts) assert.ok(n > 400 && n < 600, `${char}: ${n}`);
  });
});

describe('normalizeRecoveryCode', () => {
  test('case, spaces and dashes (typographic ones too) do not matter', () => {
    const canonical = '7k2m9qxd4hz0c8wt';
    for (const typed of ['7k2m-9qxd-4hz0-c8wt', '7K2M-9QXD-4HZ0-C8WT', ' 7k2m 9qxd 4hz0 c8wt ', '7k2m9qxd4hz0c8wt', '7k2m--9qxd-4hz0-c8wt', '7k2m\u20139qxd\u20144hz0\u2010c8wt', '7k2m\u00a09qxd\t4hz0\u2212c8wt']) {
      assert.equal(normalizeRecoveryCode(typed), canonical, typed);
    }
  });

  test('I and L read as 1, O as 0 (Crockford), so a misread letter still works', () => {
    assert.equal(normalizeRecoveryCode('IL1o-0000-0000-000O'), '1110000000000000');
  });

  test('anything else is not a code', () => {
    for (const typed of ['', '7k2m-9qxd-4hz0-c8w', '7k2m-9qxd-4hz0-c8wtt', '7k2m-9qxd-4hz0-c8wu', '7k2m_9qxd_4hz0_c8wt', '123456', '7k2m-9qxd-4hz0-c8w!']) {
      assert.equal(normalizeRecoveryCode(typed), null, typed);
    }
  });
});

describe('hashRecoveryCode', () => {
  test('a SHA-256, the same however the code is typed, and not of the code as shown', () => {
    const hash = hashRecoveryCode('7k2m-9qxd-4hz0-c8wt');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hash, createHash('sha256').update('twofold-recovery-code:7k2m9qxd4hz0c8wt').digest('hex'));
    assert.equal(hashRecoveryCode('7K2M 9QXD 4HZ0 C8WT'), hash);
    assert.notEqual(hashRecoveryCode('7k2m-9qxd-4hz0-c8wv'), hash);
    assert.ok(!hash.includes('7k2m'));
  });

  test('refuses what is not a code', () => {
    assert.throws(() => hashRecoveryCode('123456'), RangeError);
  });
});

describe('matchRecoveryCode', () => {
  const codes = ['0000-0000-0000-0001', '0000-0000-0000-0002', '0000-0000-0000-0003'];
  const hashes = codes.map(hashRecoveryCode);

  test('finds the index of the code typed', () => {
    assert.equal(matchRecoveryCode('0000-0000-0000-0002', hashes), 1);
    assert.equal(matchRecoveryCode('oooo oooo oooo oooI', hashes), 0);
  });

  test('null for a wrong code, a malformed one, or none stored', () => {
    assert.equal(matchRecoveryCode('0000-0000-0000-0004', hashes), null);
    assert.equal(matchRecoveryCode('not a code', hashes), null);
    assert.equal(matchRecoveryCode('', hashes), null);
    assert.equal(matchRecoveryCode('0000-0000-0000-0001', []), null);
  });
});
