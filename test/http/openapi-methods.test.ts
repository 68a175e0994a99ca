/**
 * The method contract's API is unchanged: the enrolment bodies keep their field names (gathered from
 * the methods' own enrolment fields), and every schema naming a method lists the catalogue's ids.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { METHOD_IDS } from '../../src/core/methodCatalogue.ts';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';

interface Schema { properties?: Record<string, Schema>; additionalProperties?: boolean; anyOf?: Schema[]; const?: string; enum?: string[] }
interface Document { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>> }

for (const engine of engines()) {
  describe(`method schemas in the OpenAPI document on ${engine}`, () => {
    let t: TestApp;
    let doc: Document;
    before(async () => {
      t = await createTestApp({ engine });
      const response = await call(t, 'GET', '/api/openapi.json');
      assert.equal(response.statusCode, 200);
      doc = response.json<Document>();
    });
    after(async () => { await t.close(); });

    const body = (path: string): Schema => {
      const schema = doc.paths[path]?.['post']?.requestBody?.content['application/json']?.schema;
      assert.ok(schema, `POST ${path} has a JSON body`);
      return schema;
    };

    test('set-up and add-a-method bodies keep type, phoneNumber and email, and refuse other fields', () => {
      const setUp = body('/api/v1/transactions/{id}/factors');
      assert.deepEqual(Object.keys(setUp.properties ?? {}).sort(), ['email', 'phoneNumber', 'type']);
      assert.equal(setUp.additionalProperties, false);
      const add = body('/api/v1/me/factors');
      assert.deepEqual(Object.keys(add.properties ?? {}).sort(), ['email', 'phoneNumber', 'replacesFactorId', 'type']);
    });

    test("the method's enum is the catalogue's ids", () => {
      const type = body('/api/v1/transactions/{id}/factors').properties?.['type'];
      // OpenAPI 3.0 has no `const`: each literal is documented as a one-value enum.
      assert.deepEqual(type?.anyOf?.map((s) => s.const ?? s.enum?.[0]), [...METHOD_IDS]);
    });
  });
}
