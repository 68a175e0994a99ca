/**
 * Threat: a stolen database reveals TOTP seeds, or a ciphertext copied into another row opens there.
 * docs/security.md S8: seeds encrypted at rest. AES-256-GCM with the row id as associated data.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSecretBox, parseSecretKey } from '../../src/crypto/secretBox.ts';

const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const box = createSecretBox(key);
const seed = Buffer.from('12345678901234567890');

describe('seal and open', () => {
  test('round trip', () => {
    const sealed = box.seal(seed, 'factor:1');
    assert.deepEqual(box.open(sealed, 'factor:1'), seed);
  });

  test('format v1.<12-byte iv>.<16-byte tag>.<ciphertext>, no plaintext visible', () => {
    const sealed = box.seal(seed, 'factor:1');
    const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
    assert.equal(version, 'v1');
    assert.equal(rest.length, 0);
    assert.equal(Buffer.from(iv!, 'base64url').length, 12);
    assert.equal(Buffer.from(tag!, 'base64url').length, 16);
    assert.equal(Buffer.from(ciphertext!, 'base64url').length, seed.length);
    assert.ok(!sealed.includes(seed.toString('base64url')));
    assert.ok(!Buffer.from(ciphertext!, 'base64url').equals(seed));
  });

  test('a fresh IV every time', () => {
    const a = box.seal(seed, 'factor:1');
    const b = box.seal(seed, 'factor:1');
    assert.notEqual(a, b);
    assert.notEqual(a.split('.')[1], b.split('.')[1]);
  });

  test('empty plaintext', () => {
    assert.deepEqual(box.open(box.seal(Buffer.alloc(0), 'x'), 'x'), Buffer.alloc(0));
  });

  test('other associated data (a ciphertext moved to another row) does not open', () => {
    const sealed = box.seal(seed, 'factor:1');
    assert.throws(() => box.open(sealed, 'factor:2'), /Cannot open/);
    assert.throws(() => box.open(sealed, ''), /Cannot open/);
  });

  test('another key does not open', () => {
    const other = createSecretBox(randomBytes(32));
    assert.throws(() => other.open(box.seal(seed, 'factor:1'), 'factor:1'), /Cannot open/);
  });

  test('the key is copied: changing the caller’s buffer later changes nothing', () => {
    const mutable = Buffer.from(key);
    const own = createSecretBox(mutable);
    const sealed = own.seal(seed, 'a');
    mutable.fill(0);
    assert.deepEqual(own.open(sealed, 'a'), seed);
  });

  describe('tamper detection: flipping any bit of any part fails', () => {
    const sealed = box.seal(seed, 'factor:1');
    const parts = sealed.split('.');
    for (const [index, name] of [[1, 'iv'], [2, 'tag'], [3, 'ciphertext']] as const) {
      test(name, () => {
        const bytes = Buffer.from(parts[index]!, 'base64url');
        for (let bit = 0; bit < bytes.length * 8; bit++) {
          const flipped = Buffer.from(bytes);
          flipped[bit >> 3]! ^= 1 << (bit & 7);
          const copy = [...parts];
          copy[index] = flipped.toString('base64url');
          assert.throws(() => box.open(copy.join('.'), 'factor:1'), /Cannot open/, `bit ${bit}`);
        }
      });
    }
  });

  test('truncated ciphertext fails', () => {
    const [v, iv, tag, ct] = box.seal(seed, 'a').split('.');
    const shorter = Buffer.from(ct!, 'base64url').subarray(1).toString('base64url');
    assert.throws(() => box.open([v, iv, tag, shorter].join('.'), 'a'), /Cannot open/);
  });

  for (const bad of ['', 'v1', 'v2.a.b.c', 'v1.a.b', 'v1.a.b.c.d', 'v1.!!.b.c', 'v1.AAAA.AAAA.AAAA']) {
    test(`malformed ${JSON.stringify(bad)} fails`, () => assert.throws(() => box.open(bad, 'a'), /Cannot open/));
  }

  test('keys other than 32 bytes are refused', () => {
    assert.throws(() => createSecretBox(randomBytes(16)), RangeError);
    assert.throws(() => createSecretBox(randomBytes(33)), RangeError);
  });
});

describe('parseSecretKey', () => {
  const good: Array<[string, string]> = [
    ['64 hex characters', key.toString('hex')],
    ['64 hex characters, upper case', key.toString('hex').toUpperCase()],
    ['base64 with padding', key.toString('base64')],
    ['base64url without padding', key.toString('base64url')],
    ['surrounding whitespace (a trailing newline in a file)', `  ${key.toString('base64')}\n`],
  ];
  for (const [name, text] of good) {
    test(`accepts ${name}`, () => assert.deepEqual(parseSecretKey(text), key));
  }
  test('base64 of a key whose bytes need "+" and "/"', () => {
    const k = Buffer.alloc(32, 0xfb);
    assert.match(k.toString('base64'), /[+/]/);
    assert.deepEqual(parseSecretKey(k.toString('base64')), k);
    assert.deepEqual(parseSecretKey(k.toString('base64url')), k);
  });

  const bad: Array<[string, string]> = [
    ['empty', ''],
    ['63 hex characters', key.toString('hex').slice(1)],
    ['base64 of 16 bytes', randomBytes(16).toString('base64')],
    ['base64 of 48 bytes', randomBytes(48).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['not base64', '!'.repeat(44)],
  ];
  for (const [name, text] of bad) {
    test(`refuses ${name}, naming the accepted forms`, () => {
      assert.throws(() => parseSecretKey(text), (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, /32 bytes.*64 hex characters.*base64/);
        if (text.length > 0) assert.ok(!e.message.includes(text), 'the message must not echo the key');
        return true;
      });
    });
  }
});
