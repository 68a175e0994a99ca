/**
 * Nobody takes a fresh server: the first-run page creates the first organization only with the
 * one-time setup token the server printed at start. The token is 256 random bits in a 0600 file of the
 * data directory, kept across restarts until spent, spent by the request that creates the
 * organization, and never written to the request log.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSetupToken, SETUP_TOKEN_FILE, type SetupToken } from '../../src/crypto/setupToken.ts';
import { buildApp } from '../../src/http/app.ts';
import { redactUrl } from '../../src/http/redact.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';

const SETUP = { organizationName: 'First Org', name: 'Fay First', email: 'fay@first.test', password: 'Correct-Horse-9' };

describe('the setup token file', () => {
  let dataDir: string;
  before(() => { dataDir = mkdtempSync(join(tmpdir(), 'twofold-setup-')); });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('created with 256 random bits, mode 0600, the same after a restart, deleted once not needed', () => {
    const file = join(dataDir, SETUP_TOKEN_FILE);
    const token = openSetupToken(dataDir, true);
    assert.ok(token);
    assert.match(token.value, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), token.value);
    assert.equal(openSetupToken(dataDir, true)?.value, token.value, 'a restart keeps the printed link working');
    assert.notEqual(openSetupToken(mkdtempSync(join(tmpdir(), 'twofold-setup-')), true)?.value, token.value);
    assert.equal(openSetupToken(dataDir, false), null);
    assert.equal(existsSync(file), false, 'a deployment with an organization keeps no token');
  });

  test('a damaged file is replaced by a fresh token', () => {
    writeFileSync(join(dataDir, SETUP_TOKEN_FILE), 'short\n', { mode: 0o644 });
    const token = openSetupToken(dataDir, true);
    assert.match(token?.value ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(join(dataDir, SETUP_TOKEN_FILE)).mode & 0o777, 0o600);
  });
});

test('the request log masks a setup token in a query or a fragment', () => {
  const token = 'A'.repeat(43);
  for (const url of [`/?setup-token=${token}`, `/?setupToken=${token}&x=1`, `/#setup-token=${token}`]) {
    assert.doesNotMatch(redactUrl(url), /AAAA/, url);
  }
});

for (const engine of engines()) {
  describe(`first run with a setup token on ${engine}`, () => {
    let t: TestApp;
    let first: TestApp;
    let dataDir: string;
    let token: SetupToken;
    before(async () => {
      t = await createTestApp({ engine });
      dataDir = mkdtempSync(join(tmpdir(), 'twofold-setup-'));
      token = openSetupToken(dataDir, true)!;
      first = { ...t, app: await buildApp(t.ctx, { logLevel: false, trustedProxies: [], publicUrl: undefined, setupToken: token }) };
    });
    after(async () => {
      await first.app.close();
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('without the token, with a wrong one, or on a server that has none: 403 invalid_setup_token', async () => {
      for (const setupToken of [undefined, '', 'x'.repeat(43), `${token.value.slice(0, -1)}x`, token.value.toLowerCase()]) {
        const response = await call(first, 'POST', '/api/v1/setup', { ...SETUP, ...(setupToken === undefined ? {} : { setupToken }) });
        assert.equal(response.statusCode, 403, String(setupToken));
        assert.equal(response.json().code, 'invalid_setup_token');
      }
      // A server started without a token (tests, or one that never printed one) takes no first run.
      const none = await call(t, 'POST', '/api/v1/setup', { ...SETUP, setupToken: token.value });
      assert.equal(none.json().code, 'invalid_setup_token');
      assert.equal((await t.ctx.db.selectFrom('organizations').select('id').execute()).length, 0);
    });

    test('a refused attempt leaves the token usable; parallel attempts create one organization; it is then spent', async () => {
      const weak = await call(first, 'POST', '/api/v1/setup', { ...SETUP, password: 'aaaaaaaa', setupToken: token.value });
      assert.equal(weak.json().code, 'password_too_weak');
      assert.ok(token.matches(token.value), 'still usable');

      const answers = await Promise.all([0, 1, 2].map((i) =>
        call(first, 'POST', '/api/v1/setup', { ...SETUP, email: `fay${i}@first.test`, setupToken: token.value }, undefined, { 'accept-language': 'ja, de-CH;q=0.9, en;q=0.5' })));
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [201, 409, 409], answers.map((a) => a.body).join('\n'));
      assert.equal((await t.ctx.db.selectFrom('organizations').select('id').execute()).length, 1);
      // The Master Account Holder is written to in the first language of their browser that Twofold speaks.
      assert.deepEqual((await t.ctx.db.selectFrom('members').select('language').execute()).map((m) => m.language), ['de']);
      assert.equal(token.matches(token.value), false, 'spent: the token is forgotten');
      assert.equal(existsSync(join(dataDir, SETUP_TOKEN_FILE)), false, 'the file is deleted');

      const replay = await call(first, 'POST', '/api/v1/setup', { ...SETUP, email: 'late@first.test', setupToken: token.value });
      assert.equal(replay.statusCode, 409);
      assert.equal(replay.json().code, 'setup_already_done');
    });
  });
}
