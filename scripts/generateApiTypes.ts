/** Writes packages/client/src/schema.ts (the client package's types, the website's too) from the server's OpenAPI document (`npm run generate:api`). */
import { writeFileSync } from 'node:fs';
import { API_TYPES_FILE, generateApiTypes } from '../test/support/apiTypes.ts';

writeFileSync(API_TYPES_FILE, await generateApiTypes());
console.log(`wrote ${API_TYPES_FILE}`);
