/**
 * One implementation of the sign-in walk: the website's pages carry each step out with the client
 * package's action functions (and decide with its `nextStep`), never with a call of their own on a
 * transaction's action path. A page that calls `/api/v1/transactions/{id}/verify` (or challenges,
 * recovery, factors, activate, push-request) itself fails here; reading the transaction is allowed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A transaction's action path, as a string or template literal would spell it. */
const ACTION_PATH = /\/api\/v1\/transactions\/[^'"`\s]*?\/(verify|challenges|recovery|factors|activate|push)/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const actionPathsIn = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(ACTION_PATH)].map((match) => match[0]);

test('no file of the website calls a transaction\'s action path itself: the client package\'s steps do', () => {
  const files = sourceFiles(join(root, 'web/src'));
  assert.ok(files.length > 50, 'the website\'s sources are found');
  const offending = files.flatMap((file) => actionPathsIn(file).map((path) => `${relative(root, file)}: ${path}`));
  assert.deepEqual(offending, [], 'call the client package\'s action functions (sendChallenge, checkCode, bindFactor, activate, startPush, …) instead');
});

test('the check recognises the paths where the package calls them', () => {
  const found = new Set(['actions.ts', 'push.ts'].flatMap((name) => actionPathsIn(join(root, 'packages/client/src', name))
    .map((path) => path.slice(path.lastIndexOf('/') + 1))));
  assert.deepEqual([...found].sort(), ['activate', 'challenges', 'factors', 'push', 'recovery', 'verify']);
});
