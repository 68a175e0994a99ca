/**
 * The bench's load generator (bench/load.ts) against a real HTTP server on loopback: each job's
 * requests reach the server with the simulated client's address, and loads sent one after another
 * combine into one result whose rate and latencies are those of all their jobs (the bench judges
 * its goals by rounds it combines this way).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { clientAddress, combineLoads, runLoad, type Job } from '../../bench/load.ts';

let server: Server;
let base: string;
const seen: Array<{ path: string; from: string | undefined }> = [];

before(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', from: request.headers['x-forwarded-for'] as string | undefined });
    const slow = request.url?.startsWith('/slow');
    setTimeout(() => {
      const body = JSON.stringify({ next: request.url === '/first' ? '/second' : null });
      response.writeHead(request.url === '/refused' ? 429 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    }, slow ? 50 : 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('each job speaks for its own client, and its follow-up request is built from the answer', async () => {
  seen.length = 0;
  const jobs: Job[] = Array.from({ length: 6 }, (_, i) => ({
    method: 'GET', path: '/first', from: clientAddress(70_000 + i),
    then: (answer) => ({ method: 'GET', path: (answer as { next: string }).next, from: clientAddress(70_000 + i) }),
  }));
  const result = await runLoad(base, jobs, 3);
  assert.equal(result.completed, 6);
  assert.equal(result.failed, 0);
  assert.equal(seen.filter((r) => r.path === '/first').length, 6);
  assert.equal(seen.filter((r) => r.path === '/second').length, 6);
  // 70,000 + i: its own /24 each, 10.1.17.112 to 10.1.17.117.
  assert.deepEqual([...new Set(seen.map((r) => r.from))].sort(), Array.from({ length: 6 }, (_, i) => `10.1.17.${112 + i}`));
});

test('a refused request fails its job and is reported', async () => {
  const result = await runLoad(base, [{ method: 'GET', path: '/refused' }, { method: 'GET', path: '/ok' }], 1);
  assert.equal(result.completed, 1);
  assert.equal(result.failed, 1);
  assert.match(result.firstError ?? '', /^GET \/refused → 429/);
});

test('loads combined: their jobs over their summed time, and the latencies of all their jobs', async () => {
  const quick = await runLoad(base, Array.from({ length: 30 }, () => ({ method: 'GET' as const, path: '/quick' })), 2);
  const slow = await runLoad(base, Array.from({ length: 10 }, () => ({ method: 'GET' as const, path: '/slow' })), 2);
  const both = combineLoads([quick, slow]);
  assert.equal(both.completed, 40);
  assert.equal(both.failed, 0);
  assert.equal(both.seconds, quick.seconds + slow.seconds);
  assert.equal(both.perSecond, 40 / (quick.seconds + slow.seconds));
  // The 99th percentile of 40 jobs is the slowest of them all; three quarters were quick, so the
  // median is a quick one's, below every slow one's (each waited 50 ms more than a quick one).
  assert.equal(both.p99Ms, Math.max(quick.p99Ms, slow.p99Ms));
  assert.ok(slow.p50Ms >= 50, `slow p50 ${slow.p50Ms}`);
  assert.ok(both.p50Ms <= quick.p99Ms && both.p50Ms < slow.p50Ms, `p50 ${both.p50Ms}`);
});
