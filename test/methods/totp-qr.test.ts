/**
 * The setup QR code encodes exactly the key URI: the symbol's data segments spell the URI, and the
 * SVG the setup screen shows draws exactly that symbol's dark modules, so what the member scans is
 * what Twofold will verify.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { generateTotpSeed, otpauthUri, QR_OPTIONS, qrCodeSvg } from '../../src/methods/totp.ts';

/** The text a QR symbol's segments hold (byte segments are UTF-8; others are text already). */
function segmentText(qr: QRCode.QRCode): string {
  return qr.segments
    .map((s) => (typeof s.data === 'string' ? s.data : Buffer.from(s.data).toString('utf8')))
    .join('');
}

/**
 * Reads back the dark modules from qrcode's SVG: one stroked path of horizontal runs,
 * `M<x> <y+0.5>` starts a row run, `m<dx> 0` skips light modules, `h<n>` draws n dark ones.
 */
function modulesFromSvg(svg: string, size: number, margin: number): boolean[] {
  const path = /<path stroke="#000000" d="([^"]*)"/.exec(svg)?.[1];
  assert.ok(path !== undefined, 'no dark path in the SVG');
  const grid = new Array<boolean>(size * size).fill(false);
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of path.matchAll(/([MmHh])([-\d.]+)(?: ([-\d.]+))?/g)) {
    const first = Number(a);
    if (cmd === 'M') [x, y] = [first - margin, Number(b) - 0.5 - margin];
    else if (cmd === 'm') x += first;
    else if (cmd === 'h') {
      for (let i = 0; i < first; i++) grid[y * size + x + i] = true;
      x += first;
    } else assert.fail(`unexpected path command ${cmd}`);
  }
  return grid;
}

describe('the setup QR code', () => {
  const uris = [
    otpauthUri({ seed: generateTotpSeed(), issuer: 'Acme', account: 'ann@example.com' }),
    otpauthUri({ seed: generateTotpSeed(), issuer: 'Ünïcode Org & Co', account: 'zoë+1@example.com' }),
  ];
  for (const uri of uris) {
    test(`encodes exactly ${uri.slice(0, 40)}…`, async () => {
      const qr = QRCode.create(uri, QR_OPTIONS);
      assert.equal(segmentText(qr), uri);

      const svg = await qrCodeSvg(uri);
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const size = qr.modules.size;
      const drawn = modulesFromSvg(svg, size, QR_OPTIONS.margin);
      const expected = Array.from(qr.modules.data, (bit) => bit === 1);
      assert.equal(drawn.filter(Boolean).length, expected.filter(Boolean).length);
      assert.deepEqual(drawn, expected);
    });
  }

  test('a different URI draws a different symbol (the comparison above can fail)', async () => {
    const [a, b] = uris as [string, string];
    const qr = QRCode.create(a, QR_OPTIONS);
    const drawn = modulesFromSvg(await qrCodeSvg(b), qr.modules.size, QR_OPTIONS.margin);
    assert.notDeepEqual(drawn, Array.from(qr.modules.data, (bit) => bit === 1));
  });
});
