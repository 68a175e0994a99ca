/**
 * Rule: any authenticator app works (docs/product-behaviour.md G2, the methods: codes from Debian's `oathtool` accepted in
 * an end-to-end test; docs/security.md S8 and "The key URI": SHA1, 6 digits, 30 s, issuer = the
 * organization, account = the member's email). Set up through the API with only what an app sees
 * (the key URI), confirm, activate, and sign in again, every code computed by oathtool at the
 * injected clock. Without oathtool this test fails rather than skips.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import QRCode from 'qrcode';
import { QR_OPTIONS } from '../../src/methods/totp.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { activate, bindTotp, confirm, secretOf, signInExpecting, verify } from './_factors.ts';
import { expectProblem, organizationWith, saveSettings } from './_fixtures.ts';

// From PATH: Debian's /usr/bin, Homebrew's oath-toolkit elsewhere. `npm test` checks it is there first.
const OATHTOOL = 'oathtool';

/** `oathtool --totp -b <base32> --now <ISO time>`: the code an authenticator app shows at `at`. */
function oathtool(base32: string, at: Date): string {
  const code = execFileSync(OATHTOOL, ['--totp', '-b', base32, '--now', at.toISOString()], { encoding: 'utf8' }).trim();
  assert.match(code, /^\d{6}$/);
  return code;
}

for (const engine of engines()) {
  describe(`TOTP with oathtool, end to end, on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('set up, confirm, activate and sign in with codes from oathtool', async () => {
      const org = await organizationWith(t, {}, 'Oath & Sons: Support');
      await saveSettings(t, org.masterToken, { masterAdministrators: true });

      const setup = await signInExpecting(t, org.email, 'setup');
      const pending = await bindTotp(t, setup.id);

      // What the app reads: otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
      const uri = new URL(pending.otpauthUri);
      assert.equal(uri.protocol, 'otpauth:');
      assert.equal(uri.host, 'totp');
      const [issuerLabel, account] = decodeURIComponent(uri.pathname.slice(1)).split(':');
      // A colon is not allowed inside the issuer (the label's separator): it becomes a space.
      assert.equal(issuerLabel, 'Oath & Sons Support');
      assert.equal(account, org.email);
      assert.equal(uri.searchParams.get('issuer'), issuerLabel);
      assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
      assert.equal(uri.searchParams.get('digits'), '6');
      assert.equal(uri.searchParams.get('period'), '30');
      const secret = secretOf(pending.otpauthUri);
      assert.match(secret, /^[A-Z2-7]{32}$/, '160 bits of base32, no padding');

      // The QR code is returned and encodes exactly the key URI.
      assert.match(pending.qrCodeSvg, /^<svg[\s>]/);
      assert.equal(pending.qrCodeSvg, await QRCode.toString(pending.otpauthUri, { ...QR_OPTIONS, type: 'svg' }));

      // Not active before it is confirmed (docs/security.md S9).
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${setup.id}/activate`), 409, 'primary_factor_required');
      const code = oathtool(secret, t.clock.now());
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      expectProblem(await confirm(t, setup.id, pending.factorId, wrong), 400, 'invalid_code');
      const confirmed = await confirm(t, setup.id, pending.factorId, code);
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().setup.confirmed, true);
      const done = await activate(t, setup.id);
      assert.ok(done.session?.token);

      t.clock.advance(30_000);
      const next = await signInExpecting(t, org.email, 'verify');
      assert.deepEqual(next.factors.map((f) => [f.id, f.type]), [[pending.factorId, 'totp']]);
      assert.equal(next.defaultFactorId, pending.factorId);
      const verified = await verify(t, next.id, pending.factorId, oathtool(secret, t.clock.now()));
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal(verified.json().state, 'complete');
      const me = await call(t, 'GET', '/api/v1/me', undefined, verified.json().session.token);
      assert.equal(me.statusCode, 200, me.body);
      assert.deepEqual(me.json().twoStepVerification.factors.map((f: { id: string }) => f.id), [pending.factorId]);

      // An hour later, oathtool's code for that moment still works: the seed is the one the app holds.
      t.clock.advance(3_600_000);
      const later = await signInExpecting(t, org.email, 'verify');
      const again = await verify(t, later.id, pending.factorId, oathtool(secret, t.clock.now()));
      assert.equal(again.statusCode, 200, again.body);
    });

    test('a code typed with a space or a dash, as an app shows or a person reads it, is the code', async () => {
      const org = await organizationWith(t, {}, 'Spaced Codes');
      await saveSettings(t, org.masterToken, { masterAdministrators: true });
      const setup = await signInExpecting(t, org.email, 'setup');
      const pending = await bindTotp(t, setup.id);
      const secret = secretOf(pending.otpauthUri);
      const spaced = (code: string, separator: string) => `${code.slice(0, 3)}${separator}${code.slice(3)}`;

      const confirmed = await confirm(t, setup.id, pending.factorId, spaced(oathtool(secret, t.clock.now()), ' '));
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      await activate(t, setup.id);

      // Each sign-in a step later, so every code is a fresh one.
      for (const separator of ['-', ' ', '\u00a0', '\u2013', ' - ']) {
        t.clock.advance(30_000);
        const tx = await signInExpecting(t, org.email, 'verify');
        const verified = await verify(t, tx.id, pending.factorId, spaced(oathtool(secret, t.clock.now()), separator));
        assert.equal(verified.statusCode, 200, `${JSON.stringify(separator)}: ${verified.body}`);
      }

      // Other characters still make a wrong code.
      t.clock.advance(30_000);
      const tx = await signInExpecting(t, org.email, 'verify');
      expectProblem(await verify(t, tx.id, pending.factorId, spaced(oathtool(secret, t.clock.now()), '.')), 400, 'invalid_code');
    });
  });
}
