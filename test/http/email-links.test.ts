/**
 * Links in emails come from configuration only: TWOFOLD_PUBLIC_URL when set, else
 * `http://localhost:<PORT>` on the port the server listens on. A Host or X-Forwarded-Host header a
 * client forges never becomes the link (it would send the reset token to the client's host).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { publicUrlWarning } from '../../src/cli/commands/serve.ts';
import { createTestApp, engines, newOrganization, type TestApp } from '../support/harness.ts';

const FORGED = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

for (const engine of engines()) {
  describe(`links in emails on ${engine}`, () => {
    /** Asks for a reset of `email` through `t` with a forged Host, and returns the link emailed. */
    async function resetLink(t: TestApp, email: string): Promise<string> {
      const before = t.outbox.length;
      const asked = await t.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email }, headers: FORGED, remoteAddress: '198.51.100.8' });
      assert.equal(asked.statusCode, 202, asked.body);
      for (let i = 0; i < 200 && !t.outbox.slice(before).some((m) => m.to === email); i++) await sleep(10);
      const mail = t.outbox.slice(before).find((m) => m.to === email);
      assert.ok(mail, `a reset email to ${email}`);
      assert.doesNotMatch(mail.text, /evil\.example/);
      return /(\S+\/password-reset\/)[A-Za-z0-9_-]+/.exec(mail.text)![1]!;
    }

    test('without a public URL: localhost on the configured port, whatever Host the client sends', async () => {
      const t = await createTestApp({ engine, port: 8181, trustedProxies: ['127.0.0.1'] });
      try {
        const org = await newOrganization(t);
        assert.equal(await resetLink(t, org.email), 'http://localhost:8181/password-reset/');
      } finally {
        await t.close();
      }
    });

    test('with a public URL: that origin, whatever Host the client sends', async () => {
      const t = await createTestApp({ engine, port: 8181, publicUrl: 'https://twofold.example.com' });
      try {
        const org = await newOrganization(t, 'Public Org');
        assert.equal(await resetLink(t, org.email), 'https://twofold.example.com/password-reset/');
      } finally {
        await t.close();
      }
    });
  });
}

test('start-up warns when emailed links will point to localhost while others can reach the server', () => {
  assert.match(publicUrlWarning({ publicUrl: undefined, host: '0.0.0.0', port: 8080 }) ?? '', /TWOFOLD_PUBLIC_URL.*http:\/\/localhost:8080/);
  assert.match(publicUrlWarning({ publicUrl: undefined, host: '192.0.2.4', port: 3000 }) ?? '', /TWOFOLD_PUBLIC_URL/);
  assert.equal(publicUrlWarning({ publicUrl: undefined, host: '127.0.0.1', port: 3000 }), null);
  assert.equal(publicUrlWarning({ publicUrl: undefined, host: '::1', port: 3000 }), null);
  assert.equal(publicUrlWarning({ publicUrl: 'https://twofold.example.com', host: '0.0.0.0', port: 3000 }), null);
});
