/**
 * A PostgreSQL on the same machine is reached through its Unix socket (docs/operations.md): in either
 * form of DATABASE_URL that names the socket's directory, the server migrates, queries and listens
 * over the socket, not over TCP, and says where its database is without the credentials.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { openStore, type Store } from '../../src/storage/database.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

const socketUrl = process.env.TWOFOLD_TEST_POSTGRES_SOCKET_URL;

if (engines().includes('postgres')) {
  describe('PostgreSQL through its Unix socket', { skip: socketUrl ? false : 'TWOFOLD_TEST_POSTGRES_SOCKET_URL is not set: the server was given by URL, not started by npm test' }, () => {
    const opened: Array<{ store: Store; database: TestDatabase }> = [];
    after(async () => {
      for (const { store, database } of opened) {
        await store.close();
        await database.drop();
      }
    });

    /** The two forms of a socket URL for one new database: the directory as the host, or as `host`. */
    async function socketDatabase(): Promise<{ database: TestDatabase; hostForm: string; parameterForm: string; directory: string }> {
      const database = await createTestDatabase(socketUrl!);
      const url = new URL(database.url);
      const directory = decodeURIComponent(url.hostname);
      const parameterForm = `postgresql://${url.pathname}?host=${encodeURIComponent(directory)}&port=${url.port}&user=${url.username}`;
      return { database, hostForm: database.url, parameterForm, directory };
    }

    for (const form of ['hostForm', 'parameterForm'] as const) {
      test(`DATABASE_URL with the socket's directory ${form === 'hostForm' ? 'as its host' : 'in its host parameter'}`, async () => {
        const { database, directory, ...urls } = await socketDatabase();
        assert.ok(directory.startsWith('/'), directory);
        const config = loadConfig({ DATABASE_URL: urls[form] });
        assert.equal(config.databaseUrl, urls[form]);
        const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: '/nonexistent', sqliteFile: ':memory:' });
        opened.push({ store, database });

        // A connection over a Unix socket has no server address.
        const { rows } = await sql<{ address: string | null; migrations: number }>`
          select inet_server_addr() as address, (select count(*)::int from kysely_migration) as migrations`.execute(store.db);
        assert.equal(rows[0]!.address, null);
        assert.ok(rows[0]!.migrations > 0);

        assert.ok(store.description.startsWith(`PostgreSQL ${directory}`), store.description);
        assert.ok(store.description.endsWith(new URL(database.url).pathname), store.description);
        assert.doesNotMatch(store.description, /twofold@/);

        // Notifications (push delivery between nodes) come through the same socket.
        let hear!: (payload: string) => void;
        const heard = new Promise<string>((resolve) => { hear = resolve; });
        await store.listen!('socket_test', hear);
        await sql`select pg_notify('socket_test', 'over the socket')`.execute(store.db);
        assert.equal(await heard, 'over the socket');
      });
    }
  });
}
