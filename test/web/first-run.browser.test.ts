/**
 * The first run in the browser: a fresh server prints its set-up link; opening it shows the app's
 * first-run page, which takes the token from the link (and out of the address bar), creates the
 * organization and its Master Account Holder, and leads to the sign-in page, where they sign in.
 * On a fresh server `/` without the link leads there too, asking for the token.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildWeb } from '../../scripts/buildWeb.ts';
import { setupMessage } from '../../src/cli/commands/serve.ts';
import { openSetupToken, type SetupToken } from '../../src/crypto/setupToken.ts';
import { buildApp } from '../../src/http/app.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { expectAccessible, openBrowser, screenshot } from './_browser.ts';

describe('the first run in a browser', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let origin: string;
  let dataDir: string;
  let token: SetupToken;
  before(async () => {
    await buildWeb({ quiet: true });
    t = await createTestApp({ engine: 'sqlite', realClock: true });
    dataDir = mkdtempSync(join(tmpdir(), 'twofold-first-run-'));
    token = openSetupToken(dataDir, true)!;
    app = await buildApp(t.ctx, { logLevel: false, trustedProxies: [], publicUrl: undefined, setupToken: token });
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('open the printed link, create the organization, sign in', async () => {
    const link = /(http\S+#setup-token=\S+)/.exec(setupMessage(origin, token.value))?.[1];
    assert.ok(link, 'the start-up message holds the link');
    assert.ok(link.startsWith(`${origin}/first-run#`));
    const browser = await openBrowser('en-US');
    try {
      const { page } = browser;
      // Without the link, a fresh server's home page leads to the first run, which asks for the token.
      await page.goto(`${origin}/`);
      await page.getByRole('heading', { level: 1, name: 'Create your organization' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/first-run');
      await page.getByLabel('Setup token').waitFor();

      await page.goto('about:blank');
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: 'Create your organization' }).waitFor();
      assert.equal(page.url(), `${origin}/first-run`, 'the token is taken out of the address bar');
      assert.equal(await page.getByLabel('Setup token').count(), 0, 'the link\'s token is not asked for, nor shown');
      await page.getByText(/asks for a good password or better/).waitFor();

      await page.getByLabel('Organization name').fill('Firstlight Support');
      await page.getByLabel('Your name').fill('Fay First');
      await page.getByLabel('Email').fill('fay@firstlight.test');
      await page.getByLabel('New password', { exact: true }).fill('aaaaaaaa');
      await page.getByLabel('New password again').fill('aaaaaaaa');
      await page.getByRole('button', { name: 'Create organization' }).click();
      // The server's policy refuses it, on the field; the token is still good.
      await page.locator('.field-error').filter({ hasText: /./ }).first().waitFor();
      assert.ok(token.matches(token.value), 'a refused attempt does not spend the token');
      await expectAccessible(page, 'first run with a refused password');

      await page.getByLabel('New password', { exact: true }).fill('Correct-Horse-9');
      await page.getByLabel('New password again').fill('Correct-Horse-9');
      await expectAccessible(page, 'first run');
      await screenshot(page, 'first-run');
      await page.getByRole('button', { name: 'Create organization' }).click();

      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Your organization is ready.' }).waitFor();
      assert.equal(token.matches(token.value), false, 'the token is spent');
      const holder = await t.ctx.db.selectFrom('members').select(['name', 'role', 'language']).where('email', '=', 'fay@firstlight.test').executeTakeFirstOrThrow();
      assert.deepEqual(holder, { name: 'Fay First', role: 'master_administrator', language: 'en' });

      await page.getByLabel('Email').fill('fay@firstlight.test');
      await page.getByLabel('Password').fill('Correct-Horse-9');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      await page.getByText('Organization: Firstlight Support').waitFor();

      // Once set up, the first-run page says so and leads to sign-in.
      await page.goto(`${origin}/first-run`);
      await page.getByRole('heading', { level: 1, name: 'Twofold is set up' }).waitFor();
      await expectAccessible(page, 'first run, already done');
      assert.deepEqual(browser.violations, []);
    } finally {
      await browser.close();
    }
  });
});
