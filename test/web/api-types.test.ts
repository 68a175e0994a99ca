/**
 * The website's API client is typed from the server's OpenAPI document. This fails when
 * web/src/api/schema.d.ts no longer matches the document of the app as it runs now: run
 * `npm run generate:api` and commit the result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { API_TYPES_FILE, generateApiTypes } from '../support/apiTypes.ts';

test('web/src/api/schema.d.ts is generated from the current OpenAPI document', async () => {
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  const current = await generateApiTypes();
  assert.ok(committed === current, 'web/src/api/schema.d.ts is stale: run `npm run generate:api`');
});
