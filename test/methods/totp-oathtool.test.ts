/**
 * Interoperability: the codes an independent implementation (OATH Toolkit's `oathtool`, the one
 * Debian ships) computes for a seed are the codes Twofold accepts, at several fixed times, and the
 * seed it reads is the one the setup QR code carries. CI installs oathtool; without it this test
 * FAILS, on purpose, rather than skipping and passing silently.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import QRCode from 'qrcode';
import { URI } from 'otpauth';
import {
  generateTotpSeed,
  matchTotpStep,
  otpauthUri,
  QR_OPTIONS,
  seedToBase32,
  totpStepAt,
} from '../../src/methods/totp.ts';

/** `oathtool --totp -b <base32> --now "<UTC time>"`; fails the test with a clear message if missing. */
function oathtool(base32: string, at: Date, extra: string[] = []): string {
  const now = at.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC'); // "2009-02-13 23:31:30 UTC"
  try {
    return execFileSync('oathtool', ['--totp', '-b', base32, '--now', now, ...extra], { encoding: 'utf8' }).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      assert.fail('oathtool is not installed: `apt-get install oathtool` (CI installs it; this test must not skip)');
    }
    throw error;
  }
}

const times = [
  '1970-01-01T00:00:59Z',
  '2009-02-13T23:31:30Z',
  '2026-03-01T12:00:00Z',
  '2026-03-01T12:00:29Z', // the last second of a step
  '2033-05-18T03:33:20Z',
  '2286-11-20T17:46:40Z', // 10^10 s, past 2^32
].map((t) => new Date(t));

const seeds: Array<[string, Buffer]> = [
  ['the RFC seed', Buffer.from('12345678901234567890', 'ascii')],
  ['a random seed', generateTotpSeed()],
  ['a seed of zero bytes', Buffer.alloc(20)],
];

describe('oathtool codes are accepted at the step oathtool used', () => {
  for (const [name, seed] of seeds) {
    for (const at of times) {
      test(`${name} at ${at.toISOString()}`, () => {
        const code = oathtool(seedToBase32(seed), at);
        assert.match(code, /^[0-9]{6}$/);
        assert.equal(matchTotpStep(seed, code, at), totpStepAt(at));
      });
    }
  }
});

describe('oathtool codes of the neighbouring steps', () => {
  const seed = generateTotpSeed();
  const at = new Date('2026-03-01T12:00:15Z');
  const step = totpStepAt(at);
  const cases: Array<[number, number | null]> = [[-2, null], [-1, step - 1], [1, step + 1], [2, null]];
  for (const [offset, expected] of cases) {
    test(`a code made ${offset * 30} s away → ${expected === null ? 'refused' : `step ${offset > 0 ? '+' : ''}${offset}`}`, () => {
      const code = oathtool(seedToBase32(seed), new Date(at.getTime() + offset * 30_000));
      // Guard the test itself: a far code equal to a near one (1 in ~10^5) would prove nothing.
      const near = [-1, 0, 1].map((d) => oathtool(seedToBase32(seed), new Date(at.getTime() + d * 30_000)));
      if (expected === null) assert.ok(!near.includes(code), 'code collision; rerun');
      assert.equal(matchTotpStep(seed, code, at), expected);
    });
  }
});

test('the seed carried by the setup QR code gives oathtool the codes Twofold accepts', () => {
  const seed = generateTotpSeed();
  const uri = otpauthUri({ seed, issuer: 'Acme Support', account: 'tech@example.com' });
  // What the QR symbol holds, decoded from its data segments: exactly the key URI.
  const qr = QRCode.create(uri, QR_OPTIONS);
  const text = qr.segments
    .map((s) => (typeof s.data === 'string' ? s.data : Buffer.from(s.data).toString('utf8')))
    .join('');
  assert.equal(text, uri);
  const parsed = URI.parse(text);
  const at = new Date('2026-03-01T12:00:00Z');
  const code = oathtool(parsed.secret.base32, at);
  assert.equal(matchTotpStep(seed, code, at), totpStepAt(at));
});
