/**
 * Capabilities travel in URLs (transaction ids, invitation and password reset tokens): logs and the
 * not-found problem show them masked, so whoever reads a log cannot use them.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from '../../src/http/redact.ts';
import { call, createTestApp, newOrganization, tokenFor, type TestApp } from '../support/harness.ts';

const TOKEN = 'k3Jd9sLq0Zx8Vb7Nm6Qw5Er4Ty3Ui2Op1As0Df9Gh8';

describe('URLs with capabilities are masked', () => {
  test('every path that carries one, and token or id query parameters', () => {
    for (const path of ['/api/v1/transactions/', '/api/v1/invitations/', '/invitations/', '/api/v1/password-resets/', '/password-reset/']) {
      const masked = redactUrl(`${path}${TOKEN}/verify?x=1`);
      assert.ok(!masked.includes(TOKEN), masked);
      assert.equal(masked, `${path}[redacted]/verify?x=1`);
    }
    for (const lenient of [`/api/v1/%74ransactions/${TOKEN}/verify`, `/PASSWORD-RESET/${TOKEN}`, `/password-reset//${TOKEN}`, `/api/v1/Transactions/${TOKEN}`, `/Invitations///${TOKEN}`]) {
      assert.ok(!redactUrl(lenient).includes(TOKEN), redactUrl(lenient));
    }
    assert.equal(redactUrl(`/somewhere?token=${TOKEN}&id=${TOKEN}&page=2`), '/somewhere?token=[redacted]&id=[redacted]&page=2');
    assert.equal(redactUrl('/api/v1/members/0190b2c4'), '/api/v1/members/0190b2c4');
  });

  describe('in answers', () => {
    let t: TestApp;
    before(async () => { t = await createTestApp(); });
    after(async () => { await t.close(); });

    test('an emailed link opens the website, which neither repeats the token nor lets it leave in a Referer', async () => {
      const org = await newOrganization(t);
      const session = await tokenFor(t, org.email);
      for (const path of ['/password-reset/', '/invitations/']) {
        const response = await call(t, 'GET', `${path}${TOKEN}`);
        // The page (200), or where the website was not built in this checkout, a note saying so (503).
        assert.ok([200, 503].includes(response.statusCode), `${path}: ${response.statusCode}`);
        assert.ok(!response.body.includes(TOKEN), response.body);
        assert.equal(response.headers['referrer-policy'], 'no-referrer');
        assert.equal(response.headers['cache-control'], 'no-store');
      }
      // Below those paths nothing else is a page: 404 signed in or not, the token masked, never repeated.
      for (const path of ['/password-reset/', '/invitations/']) {
        for (const response of [await call(t, 'GET', `${path}${TOKEN}/more`), await call(t, 'GET', `${path}${TOKEN}/more`, undefined, session)]) {
          assert.equal(response.statusCode, 404, response.body);
          assert.ok(response.body.includes(`${path}[redacted]`), response.body);
          assert.ok(!response.body.includes(TOKEN), response.body);
        }
      }
    });
  });
});
