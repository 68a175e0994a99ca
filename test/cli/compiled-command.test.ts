/**
 * The `twofold` command runs its sources compiled (bin/compiled.mjs): built on first use, rebuilt when
 * a source changes, and run through the TypeScript loader when the build cannot be written.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compiledEntry } from '../../bin/compiled.mjs';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

type Main = { main(): string };
const load = async (href: string, version: number): Promise<Main> => import(`${href}?v=${version}`) as Promise<Main>;

describe('the compiled command', () => {
  const projects: string[] = [];
  const project = () => {
    const root = mkdtempSync(join(tmpdir(), 'twofold-compiled-'));
    projects.push(root);
    mkdirSync(join(root, 'src/cli'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    writeFileSync(join(root, 'src/cli/main.ts'), "import { word } from './word.ts';\nexport const main = (): string => word;\n");
    writeFileSync(join(root, 'src/cli/word.ts'), "export const word: string = 'first';\n");
    return root;
  };
  after(() => {
    for (const root of projects) rmSync(root, { recursive: true, force: true });
  });

  test('is built on first use, reused while its sources are unchanged, and rebuilt when one changes', async () => {
    const root = project();
    const href = await compiledEntry(root);
    assert.ok(href);
    assert.equal(href, `file://${join(root, 'dist/server/twofold.mjs')}`);
    assert.equal((await load(href, 1)).main(), 'first');
    const built = statSync(join(root, 'dist/server/twofold.mjs')).mtimeMs;

    assert.equal(await compiledEntry(root), href);
    assert.equal(statSync(join(root, 'dist/server/twofold.mjs')).mtimeMs, built, 'an up-to-date bundle is not rebuilt');

    // An imported file, not the entry, changes: its size differs, whatever its time.
    writeFileSync(join(root, 'src/cli/word.ts'), "export const word: string = 'second one';\n");
    assert.equal(await compiledEntry(root), href);
    assert.equal((await load(href, 2)).main(), 'second one');
    const inputs = JSON.parse(readFileSync(join(root, 'dist/server/inputs.json'), 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(inputs).sort(), ['package.json', 'src/cli/main.ts', 'src/cli/word.ts']);
  });

  test('cannot be written: null, so the command runs the sources instead', async () => {
    const root = project();
    // Where its folder should be, a file: the build cannot write (a permission would not stop root).
    writeFileSync(join(root, 'dist'), '');
    assert.equal(await compiledEntry(root), null);
  });

  test('the real command runs through the TypeScript loader when it cannot write its bundle', async () => {
    const root = mkdtempSync(join(tmpdir(), 'twofold-readonly-'));
    projects.push(root);
    cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
    for (const shared of ['src', 'packages', 'node_modules', 'package.json', 'tsconfig.json']) symlinkSync(join(ROOT, shared), join(root, shared));
    writeFileSync(join(root, 'dist'), '');
    const { stdout } = await run(process.execPath, [join(root, 'bin/twofold.js'), '--help'], { timeout: 60_000 });
    assert.match(stdout, /^Usage: twofold <command>/);
  });

  test('the real command, run as a program, answers from the compiled module', async () => {
    const { stdout } = await run(join(ROOT, 'bin/twofold.js'), ['--help'], { timeout: 60_000 });
    assert.match(stdout, /^Usage: twofold <command>/);
    const inputs = JSON.parse(readFileSync(join(ROOT, 'dist/server/inputs.json'), 'utf8')) as Record<string, string>;
    assert.ok('src/cli/main.ts' in inputs && 'packages/client/src/walk.ts' in inputs, 'the bundle holds the command and the client package it uses');
  });
});
