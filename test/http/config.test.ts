/** Configuration from the environment: defaults, and every bad value named in one error. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';

test('defaults: port 3000, ./data, SQLite, no trusted proxy, 1 h idle and 24 h sessions', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.dataDir, resolve('./data'));
  assert.equal(config.databaseUrl, undefined);
  assert.deepEqual(config.trustedProxies, []);
  assert.equal(config.sessionIdleMinutes, 60);
  assert.equal(config.sessionMaxHours, 24);
  assert.equal(config.hashingThreads, undefined, 'one hashing thread per core');
});

test('values are read and normalized', () => {
  const config = loadConfig({
    PORT: '8080', TWOFOLD_DATA_DIR: '/var/lib/twofold', DATABASE_URL: 'postgres://u:p@db:5432/twofold',
    TWOFOLD_SECRET_KEY: 'a'.repeat(64), TWOFOLD_PUBLIC_URL: 'https://twofold.example.com/some/path',
    TWOFOLD_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,::1', TWOFOLD_LOG_LEVEL: 'warn', TWOFOLD_HASHING_THREADS: '3',
  });
  assert.equal(config.port, 8080);
  assert.equal(config.dataDir, '/var/lib/twofold');
  assert.equal(config.databaseUrl, 'postgres://u:p@db:5432/twofold');
  assert.equal(config.publicUrl, 'https://twofold.example.com');
  assert.deepEqual(config.trustedProxies, ['10.0.0.1', '192.168.0.0/16', '::1']);
  assert.equal(config.logLevel, 'warn');
  assert.equal(config.hashingThreads, 3);
});

test('every bad value is reported at once, each with its variable', () => {
  const error = (() => {
    try {
      loadConfig({
        PORT: '70000', DATABASE_URL: 'mysql://x', TWOFOLD_SECRET_KEY: 'short', TWOFOLD_PUBLIC_URL: 'ftp://x',
        TWOFOLD_TRUSTED_PROXIES: 'not-an-ip', TWOFOLD_LOG_LEVEL: 'loud', TWOFOLD_SESSION_MAX_HOURS: '48',
        TWOFOLD_HASHING_THREADS: '0',
      });
    } catch (caught) {
      return caught;
    }
    return null;
  })();
  assert.ok(error instanceof ConfigError);
  const variables = ['PORT', 'DATABASE_URL', 'TWOFOLD_SECRET_KEY', 'TWOFOLD_PUBLIC_URL', 'TWOFOLD_TRUSTED_PROXIES', 'TWOFOLD_LOG_LEVEL', 'TWOFOLD_SESSION_MAX_HOURS', 'TWOFOLD_HASHING_THREADS'];
  assert.equal(error.problems.length, variables.length);
  for (const variable of variables) assert.ok(error.problems.some((p) => p.startsWith(variable)), `${variable} is named`);
  assert.ok(!error.message.includes('short'), 'the secret key is not repeated');
});

test('connection limits: defaults a reverse proxy would use, read in seconds, each bad value named', () => {
  assert.deepEqual(loadConfig({}).connectionLimits, { headersTimeoutMs: 20_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 72_000, maxConnections: 1_000 });
  assert.deepEqual(loadConfig({
    TWOFOLD_HEADERS_TIMEOUT_SECONDS: '5', TWOFOLD_REQUEST_TIMEOUT_SECONDS: '30', TWOFOLD_KEEP_ALIVE_TIMEOUT_SECONDS: '65', TWOFOLD_MAX_CONNECTIONS: '200',
  }).connectionLimits, { headersTimeoutMs: 5_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 65_000, maxConnections: 200 });
  const problems = (env: NodeJS.ProcessEnv): readonly string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.problems;
    }
  };
  const bad = problems({ TWOFOLD_HEADERS_TIMEOUT_SECONDS: '0', TWOFOLD_REQUEST_TIMEOUT_SECONDS: 'soon', TWOFOLD_KEEP_ALIVE_TIMEOUT_SECONDS: '-1', TWOFOLD_MAX_CONNECTIONS: '0' });
  for (const name of ['TWOFOLD_HEADERS_TIMEOUT_SECONDS', 'TWOFOLD_REQUEST_TIMEOUT_SECONDS', 'TWOFOLD_KEEP_ALIVE_TIMEOUT_SECONDS', 'TWOFOLD_MAX_CONNECTIONS']) {
    assert.ok(bad.some((problem) => problem.startsWith(name)), name);
  }
  assert.deepEqual(problems({ TWOFOLD_HEADERS_TIMEOUT_SECONDS: '90', TWOFOLD_REQUEST_TIMEOUT_SECONDS: '30' }), ['TWOFOLD_HEADERS_TIMEOUT_SECONDS must not exceed TWOFOLD_REQUEST_TIMEOUT_SECONDS']);
});

test('draining on SIGTERM: 5 s by default, read in seconds, 0 to 300', () => {
  assert.equal(loadConfig({}).drainMs, 5_000);
  assert.equal(loadConfig({ TWOFOLD_DRAIN_SECONDS: '0' }).drainMs, 0);
  assert.equal(loadConfig({ TWOFOLD_DRAIN_SECONDS: '30' }).drainMs, 30_000);
  for (const bad of ['-1', '301', 'soon']) {
    assert.throws(() => loadConfig({ TWOFOLD_DRAIN_SECONDS: bad }), (error: unknown) =>
      error instanceof ConfigError && error.problems.length === 1 && error.problems[0]!.startsWith('TWOFOLD_DRAIN_SECONDS'));
  }
});

test("SQLite's page cache (16 MiB) and memory map (none) by default, in MiB", () => {
  assert.deepEqual([loadConfig({}).sqliteCacheMb, loadConfig({}).sqliteMmapMb], [16, 0]);
  const set = loadConfig({ TWOFOLD_SQLITE_CACHE_MB: '64', TWOFOLD_SQLITE_MMAP_MB: '256' });
  assert.deepEqual([set.sqliteCacheMb, set.sqliteMmapMb], [64, 256]);
  for (const [name, bad] of [['TWOFOLD_SQLITE_CACHE_MB', '0'], ['TWOFOLD_SQLITE_MMAP_MB', '-1'], ['TWOFOLD_SQLITE_CACHE_MB', 'lots']]) {
    assert.throws(() => loadConfig({ [name!]: bad }), (error: unknown) =>
      error instanceof ConfigError && error.problems.length === 1 && error.problems[0]!.startsWith(name!));
  }
});

test('DATABASE_URL: a TCP address or a Unix socket\'s directory, and a URL that cannot be read is refused at start', () => {
  for (const url of ['postgres://u:p@db:5432/twofold', 'postgresql:///twofold?host=/run/postgresql', 'postgres://twofold@%2Frun%2Fpostgresql/twofold']) {
    assert.equal(loadConfig({ DATABASE_URL: url }).databaseUrl, url);
  }
  // The scheme is right, but no URL parser reads it: refused here, not later with a bare "Invalid URL".
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://twofold@/twofold?host=/run/postgresql' }),
    (error: unknown) => error instanceof ConfigError && error.problems.length === 1 && error.problems[0]!.startsWith('DATABASE_URL'));
});
