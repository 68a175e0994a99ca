/**
 * The layers of src/ (docs/design.md, "Layers"): the core is pure and imports only itself; the HTTP adapter and
 * the command line are outermost, so nothing inside imports them, and only the composition roots
 * (src/runtime.ts, src/config.ts) put the server together. Each import is read from the source text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../../src');
const COMPOSITION_ROOTS = new Set(['runtime.ts', 'config.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports (static, dynamic and type-only), relative ones as paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const statements = /^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'|^\s*import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm;
  const specifiers = [...text.matchAll(statements)].map((match) => (match[1] ?? match[2] ?? match[3])!);
  return specifiers.map((specifier) => (specifier.startsWith('.') ? relative(SRC, resolve(dirname(file), specifier)) : specifier));
}

const layerOf = (path: string): string => (path.includes('/') ? path.slice(0, path.indexOf('/')) : path);
const files = sourceFiles(SRC).map((file) => ({ path: relative(SRC, file), imports: importsOf(file) }));

test('the layering rule finds the files and their imports', () => {
  assert.ok(files.length > 100, `${files.length} files`);
  const schemas = files.find((file) => file.path === 'http/schemas.ts');
  assert.ok(schemas?.imports.includes('core/emailAddress.ts'), 'a relative import is read as a path under src/');
});

test('the core imports nothing but the core: no framework, database, clock or network', () => {
  const outside = files.filter((file) => layerOf(file.path) === 'core')
    .flatMap((file) => file.imports.filter((target) => layerOf(target) !== 'core').map((target) => `${file.path} imports ${target}`));
  assert.deepEqual(outside, []);
});

test('only the HTTP adapter, the command line and the composition roots import the HTTP adapter', () => {
  const inward = files.filter((file) => !['http', 'cli'].includes(layerOf(file.path)) && !COMPOSITION_ROOTS.has(file.path))
    .flatMap((file) => file.imports.filter((target) => layerOf(target) === 'http').map((target) => `${file.path} imports ${target}`));
  assert.deepEqual(inward, []);
});

test('nothing but the command line imports the command line', () => {
  const inward = files.filter((file) => layerOf(file.path) !== 'cli')
    .flatMap((file) => file.imports.filter((target) => layerOf(target) === 'cli').map((target) => `${file.path} imports ${target}`));
  assert.deepEqual(inward, []);
});
