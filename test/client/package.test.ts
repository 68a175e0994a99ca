/**
 * `@twofold/client` as an integrator gets it: built by tsc into dist, imported by plain Node (no tsx)
 * as an ES module, its declarations usable by a TypeScript project of its own, and talking to a real
 * server over HTTP on both databases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestApp, engines, newOrganization, type Organization, type TestApp } from '../support/harness.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const packageDir = join(root, 'packages/client');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

before(async () => {
  await run(process.execPath, [tsc, '-p', packageDir], { cwd: root });
});

test('package.json exports the built ES module and its declarations', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string; type: string; exports: { '.': { types: string; import: string } }; dependencies: Record<string, string>;
  };
  assert.equal(manifest.name, '@twofold/client');
  assert.equal(manifest.type, 'module');
  for (const file of [manifest.exports['.'].types, manifest.exports['.'].import]) assert.ok(existsSync(join(packageDir, file)), file);
  // The one library it needs, pinned as the repository pins it.
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  assert.equal(manifest.dependencies['openapi-fetch'], rootManifest.dependencies['openapi-fetch']);
});

test('a TypeScript project of its own type-checks against the declarations, and a wrong path is a type error', async () => {
  const dir = mkdtempSync(join(packageDir, '.consumer-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [], lib: ['ES2022', 'DOM'] },
      files: ['consumer.ts'],
    }));
    writeFileSync(join(dir, 'consumer.ts'), [
      "import { createTwofoldClient, unwrap, TwofoldProblem, type Transaction } from '../dist/index.js';",
      "const client = createTwofoldClient({ baseUrl: 'https://twofold.example.com', token: 'token' });",
      "const me = await unwrap(client.GET('/api/v1/me'));",
      'const name: string = me.name;',
      "const state: Transaction['state'] = 'verify';",
      "// @ts-expect-error not a route of the API",
      "void client.GET('/api/v1/no-such-route');",
      'export { name, state, TwofoldProblem };',
    ].join('\n'));
    await run(process.execPath, [tsc, '-p', dir], { cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const engine of engines()) {
  describe(`the built package from plain Node against a server (${engine})`, () => {
    let t: TestApp;
    let org: Organization;
    let baseUrl: string;
    before(async () => {
      t = await createTestApp({ engine, realClock: true });
      baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
      org = await newOrganization(t);
    });
    after(() => t.close());

    test('signs in, reads who is signed in with the bearer token, and throws problems with their code', async () => {
      const script = `
        import { createTwofoldClient, unwrap, TwofoldProblem } from ${JSON.stringify(join(packageDir, 'dist/index.js'))};
        const [baseUrl, email, password] = process.argv.slice(1);
        const client = createTwofoldClient({ baseUrl });
        const client2 = { kind: 'technician-console', version: '8.0.0' };
        const done = await unwrap(client.POST('/api/v1/sign-in', { body: { email, password, client: client2 } }));
        const me = await unwrap(createTwofoldClient({ baseUrl, token: done.session.token }).GET('/api/v1/me'));
        let wrong;
        try { await unwrap(client.POST('/api/v1/sign-in', { body: { email, password: 'not-it', client: client2 } })); }
        catch (error) { wrong = error instanceof TwofoldProblem ? error.code : String(error); }
        let unreachable;
        try { await unwrap(createTwofoldClient({ baseUrl: 'http://127.0.0.1:9' }).GET('/api/v1/me')); }
        catch (error) { unreachable = error.code; }
        console.log(JSON.stringify({ state: done.state, email: me.email, wrong, unreachable }));
      `;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, baseUrl, org.email, org.password], { cwd: tmpdir() });
      assert.deepEqual(JSON.parse(stdout), { state: 'complete', email: org.email, wrong: 'invalid_credentials', unreachable: 'network' });
    });
  });
}
