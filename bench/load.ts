/**
 * A small closed-loop load generator over real HTTP/1.1 on loopback: `concurrency` workers each hold
 * one keep-alive connection and send one request after another until the jobs run out.
 *
 * Each job speaks for one simulated client: its requests carry that client's address in
 * `X-Forwarded-For`, as a load balancer would send it, and the server under test trusts this process
 * as its proxy (`TWOFOLD_TRUSTED_PROXIES`). Per-address limits therefore count each client apart, as
 * in production, and none is switched off.
 *
 * It speaks HTTP over plain sockets rather than through `node:http`, because it shares the machine's
 * two cores with the server it measures: Node's HTTP client spends several times more CPU per request
 * than this, and every cycle it spends is taken from the server. It understands exactly what the
 * server sends: a status line, headers with `content-length`, and a JSON body.
 */
import { connect, type Socket } from 'node:net';

export interface Job {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  /** The simulated client's address, sent as `X-Forwarded-For`. */
  readonly from?: string;
  /** A session token, sent as `Authorization: Bearer`. */
  readonly token?: string;
  /** Follow-up request built from the answer (e.g. verify after sign-in); null when done. */
  readonly then?: (answer: unknown) => Job | null;
}

export interface LoadResult {
  readonly completed: number;
  readonly failed: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Latency of a whole job (all its requests), in milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly firstError?: string;
}

/** A distinct address per client number, each in its own /24 network so that no two share a limit. */
export function clientAddress(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** One keep-alive connection that sends a request and resolves with its parsed answer. */
class Connection {
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: { resolve(answer: Answer): void; reject(error: Error): void } | null = null;

  private constructor(private readonly socket: Socket, private readonly host: string) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the server closed the connection')));
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new Connection(socket, `${host}:${port}`)));
      socket.once('error', reject);
    });
  }

  send(job: Job): Promise<Answer> {
    const payload = job.body === undefined ? '' : JSON.stringify(job.body);
    const head = `${job.method} ${job.path} HTTP/1.1\r\nhost: ${this.host}\r\n`
      + (job.from ? `x-forwarded-for: ${job.from}\r\n` : '')
      + (job.token ? `authorization: Bearer ${job.token}\r\n` : '')
      + (payload ? `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n` : '')
      + '\r\n';
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.socket.write(head + payload);
    });
  }

  close(): void {
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }

  #parse(): void {
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.#waiting) return;
    const head = this.#buffer.toString('latin1', 0, end);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.#buffer.length < end + 4 + length) return;
    const text = this.#buffer.toString('utf8', end + 4, end + 4 + length);
    this.#buffer = this.#buffer.subarray(end + 4 + length);
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting.resolve({ status: Number(head.slice(9, 12)), body: text ? JSON.parse(text) : null });
  }

  #fail(error: Error): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.reject(error);
  }
}

export async function runLoad(baseUrl: string, jobs: Job[], concurrency: number): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const connections = await Promise.all(Array.from({ length: concurrency }, () => Connection.open(url.hostname, Number(url.port))));
  let next = 0;
  let completed = 0;
  let failed = 0;
  let firstError: string | undefined;
  const latencies = new Float64Array(jobs.length);

  const worker = async (connection: Connection) => {
    for (;;) {
      const index = next++;
      if (index >= jobs.length) return;
      let job: Job | null = jobs[index]!;
      let ok = true;
      const jobStarted = performance.now();
      while (job) {
        const answer = await connection.send(job);
        if (answer.status >= 400) {
          ok = false;
          firstError ??= `${job.method} ${job.path} → ${answer.status} ${JSON.stringify(answer.body)}`;
          break;
        }
        job = job.then ? job.then(answer.body) : null;
      }
      latencies[index] = performance.now() - jobStarted;
      if (ok) completed++;
      else failed++;
    }
  };

  const started = process.hrtime.bigint();
  await Promise.all(connections.map(worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const connection of connections) connection.close();
  return summarize(completed, failed, seconds, latencies, firstError);
}

/** Each load's job latencies, kept aside so the results written to a file stay small. */
const latenciesOf = new WeakMap<LoadResult, Float64Array>();

function summarize(completed: number, failed: number, seconds: number, latencies: Float64Array, firstError: string | undefined): LoadResult {
  latencies.sort();
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const result: LoadResult = { completed, failed, seconds, perSecond: completed / seconds, p50Ms: at(0.5), p99Ms: at(0.99), ...(firstError ? { firstError } : {}) };
  latenciesOf.set(result, latencies);
  return result;
}

/** Loads sent one after another, as one: their jobs over their summed time, their latencies together. */
export function combineLoads(parts: readonly LoadResult[]): LoadResult {
  const sum = (pick: (part: LoadResult) => number) => parts.reduce((total, part) => total + pick(part), 0);
  const all = new Float64Array(sum((part) => latenciesOf.get(part)?.length ?? 0));
  let offset = 0;
  for (const part of parts) {
    const latencies = latenciesOf.get(part) ?? new Float64Array(0);
    all.set(latencies, offset);
    offset += latencies.length;
  }
  return summarize(sum((p) => p.completed), sum((p) => p.failed), sum((p) => p.seconds), all, parts.find((p) => p.firstError)?.firstError);
}
