/**
 * TOTP against the RFCs' known answers (RFC 4226 App. D, RFC 6238 App. B, listed in docs/security.md "Known answers for TOTP") and
 * the acceptance window of docs/security.md S7: the current step ±1, never ±2.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Secret, TOTP, URI } from 'otpauth';
import {
  generateTotpSeed,
  hotp,
  matchTotpStep,
  otpauthUri,
  seedToBase32,
  totpCode,
  totpStepAt,
} from '../../src/methods/totp.ts';

const RFC_SEED_SHA1 = Buffer.from('12345678901234567890', 'ascii');

describe('RFC 4226 Appendix D: HOTP, SHA-1, 6 digits', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, counter) => {
    test(`counter ${counter} → ${code}`, () => assert.equal(hotp(RFC_SEED_SHA1, counter), code));
  });
});

describe('RFC 6238 Appendix B: TOTP, 30 s, T0 = 0, 8 digits', () => {
  const seeds = {
    SHA1: Buffer.from('12345678901234567890'.repeat(1), 'ascii'),
    SHA256: Buffer.from('1234567890'.repeat(4).slice(0, 32), 'ascii'),
    SHA512: Buffer.from('1234567890'.repeat(7).slice(0, 64), 'ascii'),
  };
  const table: Array<[number, string, string, string]> = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  test('the SHA-1 seed in base32 is the published one', () => {
    assert.equal(seedToBase32(seeds.SHA1), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });
  for (const [unix, sha1, sha256, sha512] of table) {
    const now = new Date(unix * 1000);
    test(`${unix}: SHA1 ${sha1} through totpCode(totpStepAt(now))`, () => {
      assert.equal(totpCode(seeds.SHA1, totpStepAt(now), 8), sha1);
    });
    // Twofold issues SHA-1 only; these check that the library under it implements RFC 6238 fully.
    for (const [algorithm, code] of [['SHA256', sha256], ['SHA512', sha512]] as const) {
      test(`${unix}: ${algorithm} ${code} through otpauth`, () => {
        const secret = new Secret({ buffer: Uint8Array.from(seeds[algorithm]).buffer });
        assert.equal(TOTP.generate({ secret, algorithm, digits: 8, period: 30, timestamp: unix * 1000 }), code);
      });
    }
  }
});

describe('totpStepAt', () => {
  const cases: Array<[number, number]> = [[0, 0], [29_999, 0], [30_000, 1], [59_000, 1], [1111111109_000, 37037036]];
  for (const [ms, step] of cases) test(`${ms} ms → step ${step}`, () => assert.equal(totpStepAt(new Date(ms)), step));
});

describe('matchTotpStep: the window (docs/security.md S7)', () => {
  const seed = RFC_SEED_SHA1;
  const now = new Date(1234567890_000);
  const step = totpStepAt(now);

  const cases: Array<[number, number | null]> = [[-3, null], [-2, null], [-1, step - 1], [0, step], [1, step + 1], [2, null], [3, null]];
  for (const [offset, expected] of cases) {
    test(`the code of step ${offset >= 0 ? '+' : ''}${offset} → ${expected === null ? 'refused' : 'accepted'}`, () => {
      const code = totpCode(seed, step + offset);
      // Guard the test itself: a code shared with an accepted step would make "refused" meaningless.
      if (expected === null) for (const d of [-1, 0, 1]) assert.notEqual(code, totpCode(seed, step + d));
      assert.equal(matchTotpStep(seed, code, now), expected);
    });
  }

  test('window 0 accepts the current step only', () => {
    assert.equal(matchTotpStep(seed, totpCode(seed, step), now, 0), step);
    assert.equal(matchTotpStep(seed, totpCode(seed, step - 1), now, 0), null);
    assert.equal(matchTotpStep(seed, totpCode(seed, step + 1), now, 0), null);
  });

  test('windows wider than ±1 are refused', () => {
    assert.throws(() => matchTotpStep(seed, '000000', now, 2), RangeError);
    assert.throws(() => matchTotpStep(seed, '000000', now, -1), RangeError);
  });

  test('the step boundaries follow the clock to the millisecond', () => {
    const last = new Date((step + 1) * 30_000 - 1);
    const first = new Date((step + 1) * 30_000);
    assert.equal(matchTotpStep(seed, totpCode(seed, step - 1), last), step - 1);
    assert.equal(matchTotpStep(seed, totpCode(seed, step - 1), first), null);
  });

  for (const bad of ['', '12345', '1234567', '12345a', ' 123456', '123 456', '１２３４５６']) {
    test(`${JSON.stringify(bad)} never matches`, () => assert.equal(matchTotpStep(seed, bad, now), null));
  }

  test('another seed’s code does not match', () => {
    const other = Buffer.from('09876543210987654321', 'ascii');
    const code = totpCode(other, step);
    for (const d of [-1, 0, 1]) assert.notEqual(code, totpCode(seed, step + d));
    assert.equal(matchTotpStep(seed, code, now), null);
  });
});

describe('seeds and the key URI', () => {
  test('seeds are 160 random bits', () => {
    const a = generateTotpSeed();
    assert.equal(a.length, 20);
    assert.notDeepEqual(a, generateTotpSeed());
  });

  test('the exact Key Uri Format', () => {
    assert.equal(
      otpauthUri({ seed: RFC_SEED_SHA1, issuer: 'Acme', account: 'ann@example.com' }),
      'otpauth://totp/Acme:ann%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme&algorithm=SHA1&digits=6&period=30',
    );
  });

  test('issuer and account are percent-encoded, spaces as %20, colons removed', () => {
    const uri = otpauthUri({ seed: RFC_SEED_SHA1, issuer: 'Acme & Co: West', account: 'Ann Lee+x@example.com' });
    assert.equal(
      uri,
      'otpauth://totp/Acme%20%26%20Co%20West:Ann%20Lee%2Bx%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20%26%20Co%20West&algorithm=SHA1&digits=6&period=30',
    );
  });

  test('a URI parser reads back the seed, issuer, account and parameters', () => {
    const seed = generateTotpSeed();
    const parsed = URI.parse(otpauthUri({ seed, issuer: 'Ünïcode Org', account: 'zoë@example.com' }));
    assert.ok(parsed instanceof TOTP);
    assert.equal(parsed.issuer, 'Ünïcode Org');
    assert.equal(parsed.label, 'zoë@example.com');
    assert.deepEqual(Buffer.from(parsed.secret.bytes), seed);
    assert.equal(parsed.algorithm, 'SHA1');
    assert.equal(parsed.digits, 6);
    assert.equal(parsed.period, 30);
  });

  test('seeds with base32 padding in other lengths lose the padding', () => {
    assert.equal(seedToBase32(Buffer.from('ab')), 'MFRA');
  });
});
