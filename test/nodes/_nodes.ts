/**
 * Real `twofold serve` processes for the several-nodes suite: each on its own loopback port and data
 * directory, all on one PostgreSQL database with one secret key, as behind a load balancer.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { OutboxEntry } from '../../src/delivery/outbox.ts';

const BIN = resolve(import.meta.dirname, '../../bin/twofold.js');
/** Generous: the test machine may be shared and loaded. */
export const START_DEADLINE_MS = 60_000;

export interface Node {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export interface NodeOptions {
  readonly databaseUrl: string;
  readonly secretKey: string;
  readonly dataDir: string;
  readonly port?: number;
  readonly drainSeconds?: number;
  /** Another version's `bin/twofold.js` (a checkout of an earlier commit); this checkout's by default. */
  readonly bin?: string;
}

/** Starts a node and resolves once /readyz says it is ready. */
export async function startNode(options: NodeOptions): Promise<Node> {
  const port = options.port ?? await freePort();
  const child = spawn(process.execPath, [options.bin ?? BIN, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl, TWOFOLD_SECRET_KEY: options.secretKey, TWOFOLD_DATA_DIR: options.dataDir,
      PORT: String(port), TWOFOLD_HOST: '127.0.0.1', TWOFOLD_LOG_LEVEL: 'warn', TWOFOLD_HASHING_THREADS: '2',
      TWOFOLD_DRAIN_SECONDS: String(options.drainSeconds ?? 1), TWOFOLD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const node: Node = { url: `http://127.0.0.1:${port}`, port, dataDir: options.dataDir, child, output: () => output, exited };
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${node.url}/readyz`)).status === 200) return node;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  assert.fail(`node on port ${port} was not ready within ${START_DEADLINE_MS} ms:\n${output}`);
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One JSON request; a network failure (node stopped) is status 0. */
export async function api(node: Node, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  try {
    const response = await fetch(`${node.url}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try { parsed = JSON.parse(text) as Record<string, unknown>; } catch { /* not JSON */ }
    return { status: response.status, body: parsed };
  } catch {
    return { status: 0, body: {} };
  }
}

/** The last six-digit code written to `to` in any of the nodes' outboxes, waiting a little for it. */
export async function lastCode(nodes: readonly Node[], to: string, after = 0): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const entries = nodes.flatMap((node) => {
      try {
        return readFileSync(join(node.dataDir, 'outbox.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as OutboxEntry);
      } catch { return []; }
    }).filter((entry) => entry.to === to && Date.parse(entry.at) >= after && /\b\d{6}\b/.test(entry.text))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const last = entries.at(-1);
    if (last) return /\b(\d{6})\b/.exec(last.text)![1]!;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no code was sent to ${to}`);
}
