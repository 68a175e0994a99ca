/**
 * However deep or wide a JSON body is, every route that takes one answers a 4xx problem with a
 * stable code: the nesting is bounded before anything recursive walks the value (a deep body used to
 * end in a 500), and a body as wide as the size limit allows lists a bounded number of errors.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDepth, MAX_JSON_DEPTH } from '../../src/http/jsonBody.ts';
import { createTestApp, documentedRoutes, engines, newOrganization, tokenFor, type TestApp } from '../support/harness.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const DEEP = 20_000;
const SHAPES: Record<string, string> = {
  'deep array': '['.repeat(DEEP) + ']'.repeat(DEEP),
  'deep object': '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP),
  'deep inside a field': `{"email":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`,
  'wide object': `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":1`).join(',')}}`,
  'wide array': `[${'[],'.repeat(50_000)}[]]`,
};

test('the depth of a JSON text ignores brackets inside strings', () => {
  assert.equal(jsonDepth('{"a":[1,{"b":"[[[{{{\\"[["}]}'), 3);
  assert.equal(jsonDepth('"[[["'), 0);
  assert.equal(jsonDepth('[[]]'), 2);
});

for (const engine of engines()) {
  describe(`deep and wide JSON bodies on ${engine}`, () => {
    let t: TestApp;
    let token: string;
    let routes: Array<{ method: string; path: string }>;
    before(async () => {
      t = await createTestApp({ engine });
      const org = await newOrganization(t);
      token = await tokenFor(t, org.email);
      routes = await documentedRoutes(t, UNKNOWN_ID, ['post', 'put', 'patch']);
    });
    after(async () => { await t.close(); });

    test('every route that takes a body answers a 4xx problem with a code, never a 500', async () => {
      assert.ok(routes.length > 20, `the document lists the body routes (${routes.length})`);
      const failures: string[] = [];
      for (const route of routes) for (const [shape, payload] of Object.entries(SHAPES)) {
        const response = await t.app.inject({
          method: route.method as 'POST', url: route.path, payload,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        });
        const problem = /^application\/problem\+json/.test(String(response.headers['content-type'])) ? response.json<{ code?: unknown; errors?: unknown[] }>() : {};
        const ok = response.statusCode >= 400 && response.statusCode < 500 && response.statusCode !== 401 && typeof problem.code === 'string'
          && (problem.errors === undefined || problem.errors.length <= 20) && response.body.length < 10_000;
        if (!ok) failures.push(`${route.method} ${route.path} ${shape} → ${response.statusCode} ${response.body.length}B ${response.body.slice(0, 60)}`);
      }
      assert.deepEqual(failures, []);
    });

    test(`a deep body is validation_failed before it is parsed; ${MAX_JSON_DEPTH} levels still parse`, async () => {
      const deep = await t.app.inject({ method: 'POST', url: '/api/v1/sign-in', headers: { 'content-type': 'application/json' }, payload: SHAPES['deep object']! });
      assert.equal(deep.statusCode, 400);
      assert.equal(deep.json().code, 'validation_failed');
      const allowed = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
      const shallow = await t.app.inject({ method: 'POST', url: '/api/v1/sign-in', headers: { 'content-type': 'application/json' }, payload: allowed });
      assert.equal(shallow.statusCode, 400);
      assert.equal(shallow.json().errors[0].message, 'must be object');
      // Prototype poisoning is still refused by the parser behind the depth check.
      const poisoned = await t.app.inject({ method: 'POST', url: '/api/v1/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1}}' });
      assert.equal(poisoned.statusCode, 400);
      assert.equal(poisoned.json().code, 'validation_failed');
    });
  });
}
