/**
 * Bad input to every route the OpenAPI document lists, signed in as a master administrator:
 * wrong types, unknown fields, NUL characters (which PostgreSQL refuses in text), a body over 1 MiB and
 * unknown ids each get a 4xx problem+json with a stable code, never a 500, and the audit trail (every
 * change writes to it) does not grow.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, documentedRoutes, engines, newOrganization, tokenFor, type TestApp } from '../support/harness.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const NUL_ID = 'ab%00cd';
const BAD_BODIES: unknown[] = [[], 'text', 42, { unexpected: true }, { name: 7, email: false, code: [], memberIds: 'x' },
  { email: 'a\u0000b@example.test', password: 'Correct-Horse-9\u0000', name: 'A\u0000B', factorId: 'a\u0000', memberIds: ['x\u0000'], code: '12\u00003456' }];

for (const engine of engines()) {
  describe(`bad input to every route on ${engine}`, () => {
    let t: TestApp;
    let token: string;
    let routes: Array<{ method: string; path: string }>;
    before(async () => {
      t = await createTestApp({ engine });
      const org = await newOrganization(t);
      token = await tokenFor(t, org.email);
      routes = await documentedRoutes(t, UNKNOWN_ID);
    });
    after(async () => { await t.close(); });

    const auditCount = async () => Number((await t.ctx.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    test('every route answers bad input with a 4xx problem and changes nothing', async () => {
      assert.ok(routes.length > 30, `the document lists the API (${routes.length} operations)`);
      const before = await auditCount();
      const failures: string[] = [];
      for (const route of routes) {
        const attempts = route.method === 'GET' || route.method === 'DELETE'
          ? [undefined]
          : [...BAD_BODIES, { blob: 'x'.repeat(1024 * 1024 + 10) }];
        // Each route also with a NUL in its ids, or in a query parameter.
        const paths = route.path.includes(UNKNOWN_ID)
          ? [route.path, route.path.replaceAll(UNKNOWN_ID, NUL_ID)]
          : [route.path, ...(route.method === 'GET' ? [`${route.path}?memberId=a%00b&cursor=%00`] : [])];
        for (const path of paths) for (const body of attempts) {
          const response = await call(t, route.method as 'POST', path, body, token);
          // 401 would mean the session was lost and the input never judged.
          const ok4xx = response.statusCode >= 400 && response.statusCode < 500 && response.statusCode !== 401
            && /^application\/problem\+json/.test(String(response.headers['content-type']))
            && typeof response.json<{ code?: unknown }>().code === 'string';
          // A GET of an existing collection may rightly answer 200; only ids and bodies must be refused.
          const harmlessRead = route.method === 'GET' && response.statusCode === 200 && !path.includes(UNKNOWN_ID) && !path.includes('%00');
          if (!ok4xx && !harmlessRead && !(route.path === '/api/openapi.json' && response.statusCode === 200)) {
            failures.push(`${route.method} ${path} ${JSON.stringify(body)?.slice(0, 40)} → ${response.statusCode} ${response.body.slice(0, 120)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
      assert.equal(await auditCount(), before, 'nothing was changed');
    });
  });
}
