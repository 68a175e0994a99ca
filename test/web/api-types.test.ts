/**
 * The website's API client is typed from the server's OpenAPI document, through the client package.
 * This fails when packages/client/src/schema.ts no longer matches the document of the app as it runs now: run
 * `npm run generate:api` and commit the result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { API_TYPES_FILE, generateApiTypes } from '../support/apiTypes.ts';

test('packages/client/src/schema.ts is generated from the current OpenAPI document', async () => {
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  const current = await generateApiTypes();
  assert.ok(committed === current, 'packages/client/src/schema.ts is stale: run `npm run generate:api`');
});
