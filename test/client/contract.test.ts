/**
 * The client package's contract with the server: its types (packages/client/src/schema.ts) are the
 * OpenAPI document of the app as it runs now. A route, field or problem code changed on one side only
 * fails here: run `npm run generate:api` and commit the result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { API_TYPES_FILE, generateApiTypes } from '../support/apiTypes.ts';

test('the client package\'s types are generated from the server\'s current OpenAPI document', async () => {
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  const current = await generateApiTypes();
  assert.ok(committed === current, 'packages/client/src/schema.ts differs from the server\'s OpenAPI document: run `npm run generate:api`');
});
