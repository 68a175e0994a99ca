/**
 * `twofold console` has its own message, not the generic one, for every problem the server documents
 * on the routes it calls (read from the OpenAPI document, so a new code there fails here), and the
 * exit statuses its help promises for the outcomes scripts act on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TwofoldProblem } from '../../packages/client/src/index.ts';
import { EXIT, EXIT_HELP, describeProblem } from '../../src/cli/commands/console/outcomes.ts';
import { call, createTestApp } from '../support/harness.ts';

/** The routes the console calls, as the OpenAPI document names them. */
const CONSOLE_ROUTES = [
  ['/api/v1/sign-in', 'post'], ['/api/v1/me', 'get'], ['/api/v1/me/password', 'post'], ['/api/v1/sign-out', 'post'],
  ['/api/v1/transactions/{id}/challenges', 'post'], ['/api/v1/transactions/{id}/verify', 'post'],
  ['/api/v1/transactions/{id}/recovery', 'post'], ['/api/v1/transactions/{id}/factors', 'post'],
  ['/api/v1/transactions/{id}/factors/{factorId}/confirm', 'post'], ['/api/v1/transactions/{id}/activate', 'post'],
  ['/api/v1/transactions/{id}/push-request', 'get'],
] as const;

test('every problem the console\'s routes document has a message of its own', async () => {
  const t = await createTestApp();
  let codes: Set<string>;
  try {
    const document = (await call(t, 'GET', '/api/openapi.json')).json<{ paths: Record<string, Record<string, { responses: Record<string, { description?: string }> }>> }>();
    codes = new Set(CONSOLE_ROUTES.flatMap(([path, method]) => {
      const responses = document.paths[path]?.[method]?.responses;
      assert.ok(responses, `${method} ${path} is not in the document`);
      return Object.entries(responses).filter(([status]) => Number(status) >= 400)
        .flatMap(([, response]) => [...(response.description ?? '').matchAll(/`([a-z_]+)`:/g)].map((match) => match[1]!));
    }));
  } finally {
    await t.close();
  }
  assert.ok(codes.has('console_email_only') && codes.has('invalid_code'));
  const generic = [...codes].filter((code) => describeProblem(new TwofoldProblem({ code, status: 400 }), 'http://x').message.startsWith('The server refused:'));
  assert.deepEqual(generic, []);
});

test('the outcomes scripts act on have the exit statuses the help lists', () => {
  const exit = (code: string, details: Record<string, unknown> = {}) => describeProblem(new TwofoldProblem({ code, status: 400, ...details }), 'http://x').exitCode;
  assert.equal(exit('network'), EXIT.unreachable);
  assert.equal(exit('unauthenticated'), EXIT.notSignedIn);
  assert.equal(exit('invalid_credentials'), EXIT.wrongCredentials);
  for (const code of ['password_locked', 'factor_locked', 'rate_limited', 'busy']) assert.equal(exit(code), EXIT.locked, code);
  assert.equal(exit('transaction_failed'), EXIT.verificationFailed);
  assert.equal(exit('transaction_expired'), EXIT.expired);
  assert.equal(exit('console_email_only'), EXIT.notOnThisConsole);
  assert.equal(exit('password_too_weak'), EXIT.passwordRefused);
  assert.equal(exit('setup_code_required'), EXIT.setupBlocked);
  for (const code of ['push_denied', 'push_expired', 'push_number_mismatch']) assert.equal(exit(code), EXIT.pushNotApproved, code);
  for (const code of ['push_suspended', 'push_locked', 'push_pending']) assert.equal(exit(code), EXIT.locked, code);
  assert.equal(exit('some_future_code'), EXIT.failed);
  for (const [name, status] of Object.entries(EXIT)) assert.match(EXIT_HELP, new RegExp(`^  ${status} +\\S`, 'm'), name);
  assert.match(describeProblem(new TwofoldProblem({ code: 'password_locked', status: 429, retryAfterSeconds: 42 }), 'http://x').message, /Try again in 42 seconds\. \(password_locked\)$/);
});
