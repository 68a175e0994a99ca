/**
 * A server that does only part of Twofold's work, to measure this machine's ceiling for each figure
 * the benchmark reports (bench/ceilings.ts). It speaks plain `node:http`, with no framework, no
 * database and no validation:
 *   - `POST /api/v1/sign-in` checks `{password}` against one argon2id hash, on the same hashing threads as
 *     the real server, and answers `{id}` with a fixed id;
 *   - any other POST answers a fixed JSON body of a completed sign-in's size;
 *   - any GET (an "empty request") answers a fixed JSON body of `GET /api/v1/me`'s size, reading
 *     nothing and checking nothing.
 * It also measures the argon2id bound when asked over IPC (bench/ceilings.ts): its hashing is set up as
 * the `twofold` command sets up the server's, libuv's pool included.
 * Whatever the real server does beyond this costs on top of these figures.
 *
 * Run as a child process: it listens on a free port of 127.0.0.1 and sends the port over IPC.
 */
import { createServer } from 'node:http';
import { hashPassword, verifyPassword } from '../src/crypto/passwords.ts';
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

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.setHeader('content-type', 'application/json');
    response.end(me);
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

process.on('message', (message: { measure?: string }) => {
  if (message.measure === 'hashRate') void hashesPerSecond().then((hashRate) => process.send?.({ hashRate }));
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
