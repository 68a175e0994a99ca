// The API's types live in the client package (packages/client/src/schema.ts, written by
// `npm run generate:api`); the website's modules may keep importing them from here.
export type { components, operations, paths } from '@twofold/client';
