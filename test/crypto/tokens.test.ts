/**
 * Tokens and codes: at least 128 random bits for tokens (docs/security.md S22), at least 6 CSPRNG digits for
 * sent codes (docs/security.md S5), only SHA-256 of a token stored, secrets compared in constant time
 * (docs/security.md S11).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hashToken, newId, newToken, randomDigits, safeEqual } from '../../src/crypto/tokens.ts';

describe('newToken', () => {
  test('32 random bytes by default, base64url without padding', () => {
    const token = newToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
  });
  test('16 bytes is the minimum (128 bits)', () => {
    assert.equal(Buffer.from(newToken(16), 'base64url').length, 16);
    assert.throws(() => newToken(15), RangeError);
    assert.throws(() => newToken(16.5), RangeError);
  });
  test('tokens do not repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newToken(16)));
    assert.equal(tokens.size, 1000);
  });
});

test('hashToken is the hex SHA-256 of the token', () => {
  assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(hashToken('abc'), createHash('sha256').update('abc').digest('hex'));
  assert.notEqual(hashToken('abc'), hashToken('abd'));
});

describe('safeEqual', () => {
  const cases: Array<[string, string, boolean]> = [
    ['123456', '123456', true],
    ['123456', '123457', false],
    ['123456', '1234567', false],
    ['', '', true],
    ['', 'a', false],
    ['é', 'e\u0301', false], // no normalization: secrets compare byte for byte
  ];
  for (const [a, b, expected] of cases) {
    test(`${JSON.stringify(a)} vs ${JSON.stringify(b)} → ${expected}`, () => {
      assert.equal(safeEqual(a, b), expected);
      assert.equal(safeEqual(b, a), expected);
    });
  }
});

test('newId is a v7 UUID that increases with time, so new rows append to their indexes', () => {
  const ids = Array.from({ length: 1000 }, () => newId());
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  // The first 48 bits are the creation time in milliseconds.
  const at = Number.parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16);
  assert.ok(Math.abs(at - Date.now()) < 60_000);
});

describe('randomDigits', () => {
  test('6 digits by default, other lengths on request', () => {
    assert.match(randomDigits(), /^[0-9]{6}$/);
    assert.match(randomDigits(8), /^[0-9]{8}$/);
    assert.match(randomDigits(20), /^[0-9]{20}$/);
    assert.throws(() => randomDigits(0), RangeError);
  });

  test('every digit value occurs at every position about equally often', () => {
    // 60,000 codes → 6,000 expected per (position, digit); a chi-square over 10 cells with 9 degrees
    // of freedom exceeds 45 with probability under 1e-6, so an honest generator fails this about once
    // in 170,000 runs across 6 positions, while a biased one fails always: a byte taken modulo 10
    // (4% more of 0–5) gives about 96, and a missing digit thousands.
    const counts = Array.from({ length: 6 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < 60_000; i++) {
      [...randomDigits()].forEach((d, pos) => counts[pos]![Number(d)]!++);
    }
    for (const row of counts) {
      const chi = row.reduce((sum, n) => sum + (n - 6000) ** 2 / 6000, 0);
      assert.ok(chi < 45, `chi-square ${chi.toFixed(1)} for ${row.join(',')}`);
    }
  });
});
