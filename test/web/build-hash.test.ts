/**
 * `npm start` skips the website's build when nothing it reads changed. The website bundles some of the
 * server's pure rules (the strength meter's password check, the console version rule), so those files
 * count among its sources: otherwise the meter would judge by an old rule while the server used a new one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webSourceFiles } from '../../scripts/buildWeb.ts';

test('the core rules the website bundles are among the sources that decide a rebuild', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const files = webSourceFiles().map((file) => relative(root, file).split(sep).join('/'));
  for (const shared of ['src/core/passwordStrength.ts', 'src/core/consoleVersion.ts', 'web/src/features/password/StrengthMeter.tsx', 'package-lock.json']) {
    assert.ok(files.includes(shared), shared);
  }
  assert.ok(!files.some((file) => file.startsWith('web/dist/')), 'the output is not a source');
});
