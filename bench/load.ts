/**
 * A small closed-loop load generator over real HTTP on loopback: `concurrency` workers each send
 * one request after another until the jobs run out, over keep-alive connections.
 */
import http from 'node:http';

export interface Job {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  /** Follow-up request built from the answer (e.g. verify after sign-in); null when done. */
  readonly then?: (answer: unknown) => Job | null;
}

export interface LoadResult {
  readonly completed: number;
  readonly failed: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly firstError?: string;
}

export async function runLoad(baseUrl: string, jobs: Job[], concurrency: number): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let completed = 0;
  let failed = 0;
  let firstError: string | undefined;

  const send = (job: Job): Promise<{ status: number; body: unknown }> => new Promise((resolve, reject) => {
    const payload = job.body === undefined ? undefined : JSON.stringify(job.body);
    const request = http.request({
      host: url.hostname, port: url.port, method: job.method, path: job.path, agent,
      headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null });
      });
    });
    request.on('error', reject);
    if (payload) request.write(payload);
    request.end();
  });

  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= jobs.length) return;
      let job: Job | null = jobs[index]!;
      let ok = true;
      while (job) {
        const answer = await send(job);
        if (answer.status >= 400) {
          ok = false;
          firstError ??= `${job.method} ${job.path} → ${answer.status} ${JSON.stringify(answer.body)}`;
          break;
        }
        job = job.then ? job.then(answer.body) : null;
      }
      if (ok) completed++;
      else failed++;
    }
  };

  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { completed, failed, seconds, perSecond: completed / seconds, ...(firstError ? { firstError } : {}) };
}
