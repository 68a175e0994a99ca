/**
 * The OpenAPI document describes the errors too: every operation lists its RFC 9457 problems as
 * `application/problem+json` of one shared `Problem` schema whose `code` enumerates every error code
 * with its meaning, and the contract's codes are listed on the routes that answer them. Documenting
 * them must not change them: problems with details still reach the client whole.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PROBLEM_CODES, ROUTE_PROBLEMS } from '../../src/http/openapiProblems.ts';
import { statusOf } from '../../src/http/problem.ts';
import type { ErrorCode } from '../../src/core/errors.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { enrolTotp, signInExpecting, totpNow, verify, wrongTotp } from '../twoStep/_factors.ts';
import { DEFAULT_SETTINGS, SETTINGS_URL, expectProblem, organizationWith, requiredTechnician } from '../twoStep/_fixtures.ts';

interface Schema { [key: string]: unknown; properties?: Record<string, Schema>; required?: string[]; enum?: string[]; readOnly?: boolean }
interface Response { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema: Schema; examples?: Record<string, { value: { code: string; status: number } }> }> }
interface Operation { responses: Record<string, Response>; requestBody?: { content: Record<string, { schema: Schema }> } }
interface Document { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

const PROBLEM_REF = '#/components/schemas/Problem';

/** The codes an operation documents, by status. */
function documentedCodes(operation: Operation): Map<string, Set<string>> {
  const byStatus = new Map<string, Set<string>>();
  for (const [status, response] of Object.entries(operation.responses)) {
    const examples = response.content?.['application/problem+json']?.examples;
    if (examples) byStatus.set(status, new Set(Object.values(examples).map((example) => example.value.code)));
  }
  return byStatus;
}

for (const engine of engines()) {
  describe(`problems in the OpenAPI document on ${engine}`, () => {
    let t: TestApp;
    let doc: Document;
    before(async () => {
      t = await createTestApp({ engine });
      const response = await call(t, 'GET', '/api/openapi.json');
      assert.equal(response.statusCode, 200);
      doc = response.json<Document>();
    });
    after(async () => { await t.close(); });

    const operation = (method: string, path: string): Operation => {
      const found = doc.paths[path]?.[method];
      assert.ok(found, `${method.toUpperCase()} ${path} is documented`);
      return found;
    };
    const codesAt = (method: string, path: string, status: number): Set<string> =>
      documentedCodes(operation(method, path)).get(String(status)) ?? new Set();

    test('one Problem schema: the RFC 9457 members, the details the codes carry, open to more', () => {
      const problem = doc.components.schemas.Problem;
      assert.ok(problem, 'components.schemas.Problem');
      assert.equal(problem.additionalProperties, true);
      assert.deepEqual(problem.required, ['type', 'title', 'status', 'code']);
      for (const detail of ['errors', 'retryAfterSeconds', 'attemptsRemaining', 'state', 'allowedStates', 'allowedMethods', 'lockedUntil', 'primaryMethod']) {
        assert.ok(problem.properties?.[detail], `Problem documents ${detail}`);
      }
    });

    test('`code` lists every error code, each with its status and meaning', () => {
      const code = doc.components.schemas.Problem!.properties!.code!;
      assert.deepEqual(code.enum, [...PROBLEM_CODES]);
      const meanings = code['x-enumDescriptions'] as Record<string, string>;
      for (const name of PROBLEM_CODES) {
        assert.ok(meanings[name] && meanings[name].length > 10, `${name} is described`);
        assert.match(String(code.description), new RegExp(`\`${name}\` \\(\\d{3}\\): `));
      }
      // Spot checks against the one place statuses are chosen.
      for (const name of ['validation_failed', 'transaction_failed', 'console_email_only', 'rate_limited'] as ErrorCode[]) {
        assert.ok(code.enum!.includes(name));
        assert.match(String(code.description), new RegExp(`\`${name}\` \\(${statusOf(name)}\\)`));
      }
    });

    test('every operation documents its problems as problem+json of the shared schema, at their statuses', () => {
      let operations = 0;
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          operations++;
          const where = `${method.toUpperCase()} ${path}`;
          const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
          assert.ok(errors.length > 0, `${where} documents its errors`);
          for (const [status, response] of errors) {
            const content = response.content?.['application/problem+json'];
            assert.ok(content, `${where} ${status} is problem+json`);
            assert.deepEqual(content.schema, { $ref: PROBLEM_REF }, `${where} ${status} references Problem`);
            assert.ok(Object.keys(response.content!).length === 1, `${where} ${status} has no other media type`);
            for (const example of Object.values(content.examples ?? {})) {
              assert.equal(String(example.value.status), status, `${where}: ${example.value.code} is answered with ${status}`);
            }
          }
          assert.ok(codesAt(method, path, 500).has('internal_error'), `${where} can fail unexpectedly`);
        }
      }
      assert.ok(operations > 30, `the document lists the API (${operations} operations)`);
    });

    test('what every route meets on the way in is documented from its options', () => {
      // A protected route: no session, and a member who must change their password first.
      assert.ok(codesAt('get', '/api/v1/members', 401).has('unauthenticated'));
      assert.ok(codesAt('get', '/api/v1/members', 403).has('password_change_required'));
      // Routes open while the password must change, and public routes, say neither.
      assert.ok(!codesAt('post', '/api/v1/me/password', 403).has('password_change_required'));
      assert.ok(!codesAt('post', '/api/v1/sign-in', 401).has('unauthenticated'));
      // A body: validation, size and type; a state-changing request: the Origin check.
      for (const [status, code] of [[400, 'validation_failed'], [413, 'payload_too_large'], [415, 'unsupported_media_type'], [403, 'origin_mismatch']] as const) {
        assert.ok(codesAt('put', '/api/v1/settings/two-step-verification', status).has(code), code);
      }
      assert.ok(!codesAt('get', '/api/v1/me', 403).has('origin_mismatch'));
    });

    test("the contract's codes are documented where they occur", () => {
      const signIn = operation('post', '/api/v1/sign-in');
      assert.ok(codesAt('post', '/api/v1/sign-in', 401).has('invalid_credentials'));
      assert.ok(codesAt('post', '/api/v1/sign-in', 403).has('console_email_only'));
      assert.ok(codesAt('post', '/api/v1/sign-in', 429).has('rate_limited'));
      assert.ok(signIn.responses['429']!.headers?.['Retry-After'], 'a 429 documents Retry-After');

      const steps = ['challenges', 'verify', 'recovery', 'factors', 'factors/{factorId}/confirm', 'activate'];
      for (const step of steps) {
        const path = `/api/v1/transactions/{id}/${step}`;
        assert.deepEqual([...codesAt('post', path, 410)].sort(), ['transaction_expired', 'transaction_failed'], path);
        assert.ok(codesAt('post', path, 404).has('not_found'), path);
      }
      assert.deepEqual([...codesAt('get', '/api/v1/transactions/{id}', 410)].sort(), ['transaction_expired', 'transaction_failed']);
      for (const step of ['challenges', 'recovery', 'factors']) {
        assert.ok(codesAt('post', `/api/v1/transactions/{id}/${step}`, 429).has('rate_limited'), step);
      }
      assert.ok(codesAt('post', '/api/v1/transactions/{id}/verify', 400).has('invalid_code'));
      assert.ok(codesAt('post', '/api/v1/transactions/{id}/verify', 423).has('factor_locked'));

      assert.ok(codesAt('post', '/api/v1/me/password', 403).has('console_email_only'));
      // The password lock answers alike wherever the password is given, with when to retry.
      for (const path of ['/api/v1/sign-in', '/api/v1/me/password', '/api/v1/me/reauthentication', '/api/v1/me/two-step-setup']) {
        assert.ok(codesAt('post', path, 429).has('password_locked'), path);
        assert.ok(operation('post', path).responses['429']!.headers?.['Retry-After'], `${path}: Retry-After`);
      }
      assert.ok(!codesAt('post', '/api/v1/me/password', 429).has('rate_limited'));
      assert.ok(codesAt('post', '/api/v1/me/password', 401).has('invalid_credentials'));
    });

    test('every route the problem table names exists, with codes of the right status', () => {
      for (const [route, codes] of Object.entries(ROUTE_PROBLEMS)) {
        const [method, url] = route.split(' ') as [string, string];
        const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        const documented = documentedCodes(operation(method.toLowerCase(), path));
        for (const code of codes) {
          const status = code === 'not_ready' ? 503 : statusOf(code as ErrorCode);
          assert.ok(documented.get(String(status))?.has(code), `${route}: ${code} at ${status}`);
        }
      }
    });

    test('the routes that had no success schema have one, and `methods` is documented as read-only', () => {
      const settings = operation('get', '/api/v1/settings/two-step-verification').responses['200']!.content!['application/json']!.schema;
      assert.deepEqual(settings.required?.slice().sort(), ['administrators', 'allowedMethods', 'masterAdministrators', 'methods', 'primaryMethod', 'technicians']);
      const methods = settings.properties!.methods!;
      assert.equal(methods.readOnly, true);
      assert.deepEqual(Object.keys(methods.properties!).sort(), ['email', 'push', 'sms', 'totp']);
      assert.match(String(methods.description), /SMS.*weaker.*email.*weakest/s);
      assert.match(JSON.stringify(methods.properties!.sms!.properties!.strength), /"weaker".*"weakest"/);

      for (const [method, path] of [['put', '/api/v1/settings/two-step-verification'], ['post', '/api/v1/settings/two-step-verification/preview']] as const) {
        const body = operation(method, path).requestBody!.content['application/json']!.schema;
        assert.equal(body.additionalProperties, false, `${path} still refuses unknown properties`);
        assert.equal(body.properties!.methods!.readOnly, true, `${path} documents methods as read-only`);
        assert.ok(!body.required?.includes('methods'));
      }

      const factors = operation('get', '/api/v1/me/factors').responses['200']!.content!['application/json']!.schema;
      assert.deepEqual(factors.required?.slice().sort(), ['factors', 'locked', 'mustSetUpAgain', 'required', 'setUp']);
      const confirmed = operation('post', '/api/v1/me/factors/{id}/confirm').responses['200']!.content!['application/json']!.schema;
      assert.deepEqual(confirmed.required?.slice().sort(), ['id', 'label', 'type']);
    });

    test('problems with details reach the client whole', async () => {
      // 400 validation_failed with `errors`.
      const org = await organizationWith(t);
      const invalid = await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, extra: 1 }, org.masterToken);
      assert.deepEqual(expectProblem(invalid, 400, 'validation_failed'), {
        type: 'urn:twofold:problem:validation_failed', title: 'The request is not valid.', status: 400, code: 'validation_failed',
        errors: [{ field: 'body', message: 'must NOT have additional properties', property: 'extra' }],
      });

      // 400 invalid_code with `attemptsRemaining`, in a sign-in transaction.
      const { member } = await requiredTechnician(t);
      const factor = await enrolTotp(t, member.email);
      const tx = await signInExpecting(t, member.email, 'verify');
      const wrong = await verify(t, tx.id, factor.factorId, wrongTotp(t, factor.seed));
      const wrongBody = expectProblem(wrong, 400, 'invalid_code');
      assert.deepEqual(Object.keys(wrongBody).sort(), ['attemptsRemaining', 'code', 'status', 'title', 'type']);
      assert.equal(wrongBody.attemptsRemaining, 4);

      // 429 rate_limited with `retryAfterSeconds` and Retry-After.
      for (let i = 0; i < 5; i++) {
        const attempt = await call(t, 'POST', '/api/v1/me/reauthentication', { factorId: factor.factorId, code: wrongTotp(t, factor.seed, i) }, factor.token);
        expectProblem(attempt, 400, 'invalid_code');
      }
      const limited = await call(t, 'POST', '/api/v1/me/reauthentication', { factorId: factor.factorId, code: totpNow(t, factor.seed) }, factor.token);
      const limitedBody = expectProblem(limited, 429, 'rate_limited');
      assert.deepEqual(Object.keys(limitedBody).sort(), ['code', 'retryAfterSeconds', 'status', 'title', 'type']);
      assert.ok(Number(limitedBody.retryAfterSeconds) > 0);
      assert.equal(limited.headers['retry-after'], String(limitedBody.retryAfterSeconds));
    });
  });
}
