/**
 * A server that does only part of Twofold's work, to measure this machine's ceiling for each figure
 * the benchmark reports (bench/ceilings.ts). It speaks plain `node:http`, with no framework, no
 * database and no validation:
 *   - `POST /api/v1/sign-in` checks `{password}` against one argon2id hash, on the same hashing threads as
 *     the real server, and answers `{id}` with a fixed id;
 *   - any other POST answers a fixed JSON body of a completed sign-in's size;
 *   - any GET (an "empty request") answers a fixed JSON body of `GET /api/v1/me`'s size, reading
 *     nothing and checking nothing;
 *   - a GET of `/api/v1/me?read=session`, once told over IPC which database to read, first reads the
 *     session behind its bearer token and that session's member, with one prepared statement, and
 *     answers 401 when there is none: the least a session check must do when a revoked session or a
 *     disabled member is refused at its next request. Its rate is the ceiling of session checks on
 *     that database, whatever the server around the read.
 * It also measures the argon2id bound when asked over IPC (bench/ceilings.ts): its hashing is set up as
 * the `twofold` command sets up the server's, libuv's pool included.
 * Whatever the real server does beyond this costs on top of these figures.
 *
 * Run as a child process: it listens on a free port of 127.0.0.1 and sends the port over IPC.
 */
import { createServer } from 'node:http';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { hashPassword, verifyPassword } from '../src/crypto/passwords.ts';
import { hashToken } from '../src/crypto/tokens.ts';
import { nameStatement, prepareNamedStatements } from '../src/storage/namedStatements.ts';
import type { SessionSource } from './ceilings.ts';
import { BENCH_PASSWORD } from './seed.ts';

const storedHash = await hashPassword(BENCH_PASSWORD);
const completed = JSON.stringify({
  id: '0190b2c4-7c1e-7000-8000-000000000000', purpose: 'sign_in', state: 'complete', factors: [], defaultFactorId: null,
  expiresAt: new Date().toISOString(), session: { token: 'x'.repeat(43), expiresAt: new Date().toISOString() },
});

const me = JSON.stringify({
  id: '0190b2c4-7c1e-7000-8000-000000000000', organizationId: '0190b2c4-7c1e-7000-8000-000000000001', name: 'tech-0-1700000000000@bench.test',
  email: 'tech-0-1700000000000@bench.test', role: 'technician', technicianGroupId: '0190b2c4-7c1e-7000-8000-000000000002',
  mustChangePassword: false, client: { kind: 'technician-console' }, twoStep: { required: true, setUp: true },
});

/** The session by its token's hash, joined to its member: what refusing a revoked session or a disabled member needs. */
const SESSION_READ = `SELECT s.id, s.expires_at, s.last_seen_at, s.revoked_at, m.enabled
  FROM sessions s JOIN members m ON m.id = s.member_id WHERE s.token_hash = `;

interface SessionReader {
  /** Whether a live session of an enabled member has this token hash. */
  read(tokenHash: string): Promise<boolean> | boolean;
  close(): Promise<void> | void;
}

let reader: SessionReader | null = null;

function openReader(source: SessionSource): SessionReader {
  type Row = { expires_at: unknown; revoked_at: unknown; enabled: unknown } | undefined;
  const live = (row: Row) => row !== undefined && row.revoked_at === null && Number(row.expires_at) > Date.now() && Number(row.enabled) === 1;
  if (source.engine === 'sqlite') {
    // A connection of its own beside the server's, as a second process reading the same WAL file.
    const db = new SQLite(source.file, { fileMustExist: true });
    const statement = db.prepare(`${SESSION_READ}?`);
    return { read: (tokenHash) => live(statement.get(tokenHash) as Row), close: () => { db.close(); } };
  }
  // The server's pool size and its named statements (storage/namedStatements.ts): parsed, planned and
  // described once per connection, as the server's are.
  const pool = new pg.Pool({ connectionString: source.url, max: 10 });
  pool.on('connect', prepareNamedStatements);
  const text = `${SESSION_READ}$1`;
  nameStatement(text);
  return {
    // A connection taken and given back, as the server's driver does: `pool.query` would pass a
    // callback, a form the named statements leave to `pg` unnamed, parsed and planned at every run.
    read: async (tokenHash) => {
      const client = await pool.connect();
      try {
        return live((await client.query(text, [tokenHash])).rows[0]);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.setHeader('content-type', 'application/json');
    if (request.url !== '/api/v1/me?read=session') {
      response.end(me);
      return;
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!reader || !token) {
      response.statusCode = 401;
      response.end('{}');
      return;
    }
    void Promise.resolve(reader.read(hashToken(token))).then((found) => {
      if (!found) response.statusCode = 401;
      response.end(found ? me : '{}');
    }, (error: Error) => {
      response.statusCode = 500;
      response.end(JSON.stringify({ error: error.message }));
    });
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { password?: string };
    response.setHeader('content-type', 'application/json');
    if (request.url === '/api/v1/sign-in') {
      void verifyPassword(storedHash, body.password ?? '').then((ok) => {
        response.statusCode = ok ? 200 : 401;
        response.end(JSON.stringify({ id: '0190b2c4-7c1e-7000-8000-000000000000' }));
      });
    } else {
      response.end(completed);
    }
  });
});
/** Hashes with more passwords in flight than hashing threads, so every core hashes all the time. */
async function hashesPerSecond(): Promise<number> {
  const end = Date.now() + 3_000;
  let done = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (Date.now() < end) {
      await hashPassword(BENCH_PASSWORD);
      done++;
    }
  }));
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

process.on('message', (message: { measure?: string; readSessionsFrom?: SessionSource | null }) => {
  if (message.measure === 'hashRate') void hashesPerSecond().then((hashRate) => process.send?.({ hashRate }));
  if (message.readSessionsFrom !== undefined) {
    const source = message.readSessionsFrom;
    void Promise.resolve(reader?.close()).then(() => {
      reader = source ? openReader(source) : null;
      process.send?.({ readingSessions: source !== null });
    });
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
