/**
 * A whole Twofold server in a test: a real store (SQLite in memory, or a fresh database on the
 * throwaway PostgreSQL the runner started), a clock the test moves, recording message senders, and
 * the Fastify app driven through `inject()`.
 */
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createSecretBox } from '../../src/crypto/secretBox.ts';
import type { Message, MessageSender } from '../../src/delivery/ports.ts';
import { buildApp } from '../../src/http/app.ts';
import type { Context } from '../../src/services/context.ts';
import { createOrganization } from '../../src/services/organizations/createOrganization.ts';
import { openStore, type Engine } from '../../src/storage/database.ts';
import { AfterAnswer } from '../../src/services/afterAnswer.ts';
import { AFTER_ANSWER_JOBS } from '../../src/services/afterAnswerJobs.ts';
import { createTestDatabase } from './postgres.ts';

export type { Engine };

/** The engines every storage-touching suite runs on. PostgreSQL is required under CI. */
export function engines(): Engine[] {
  if (process.env.TWOFOLD_TEST_POSTGRES_URL) return ['sqlite', 'postgres'];
  if (process.env.CI) throw new Error('TWOFOLD_TEST_POSTGRES_URL is not set: run the tests with `npm test`, which starts PostgreSQL');
  return ['sqlite'];
}

export interface TestClock {
  now(): Date;
  advance(ms: number): void;
  set(date: Date): void;
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly ctx: Context;
  readonly clock: TestClock;
  /** Every message sent, in order (codes, invitations, notices). */
  readonly outbox: Message[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly engine?: Engine;
  /** Replace the recording email sender, e.g. with a real SMTP mailer. */
  readonly emailSender?: MessageSender;
  readonly smsSender?: MessageSender;
  readonly start?: Date;
  /** Proxies whose X-Forwarded-* headers are believed, e.g. to test HTTPS behind a proxy. */
  readonly trustedProxies?: readonly string[];
  /** TWOFOLD_PUBLIC_URL. */
  readonly publicUrl?: string;
  /** PORT, which links in emails use when there is no public URL. */
  readonly port?: number;
  /** The longest random delay before work done after the answer; none by default, to keep tests quick. */
  readonly afterAnswerDelayMs?: number;
  /** The wall clock instead of the test's own: a browser and oathtool live in real time. */
  readonly realClock?: boolean;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const engine = options.engine ?? 'sqlite';
  let database: { url: string; drop(): Promise<void> } | undefined;
  if (engine === 'postgres') {
    const adminUrl = process.env.TWOFOLD_TEST_POSTGRES_URL;
    assert.ok(adminUrl, 'TWOFOLD_TEST_POSTGRES_URL must be set for PostgreSQL tests');
    database = await createTestDatabase(adminUrl);
  }
  const store = await openStore({ databaseUrl: database?.url, dataDir: '/nonexistent', sqliteFile: ':memory:' });
  let current = options.start ?? new Date('2026-06-01T12:00:00.000Z');
  const clock: TestClock = {
    now: () => new Date(current),
    advance: (ms) => { current = new Date(current.getTime() + ms); },
    set: (date) => { current = date; },
  };
  const outbox: Message[] = [];
  const recorder = (channel: 'sms' | 'email'): MessageSender => ({
    channel, description: 'test recorder', send: async (message) => { outbox.push(message); },
  });
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  const ctx: Context = {
    store,
    db: store.db,
    clock: options.realClock ? () => new Date() : clock.now,
    secretBox: createSecretBox(randomBytes(32)),
    codeMacKey: randomBytes(32),
    senders: { sms: options.smsSender ?? recorder('sms'), email: options.emailSender ?? recorder('email') },
    settings: { sessionIdleMs: 3_600_000, sessionMaxMs: 86_400_000, publicUrl: options.publicUrl, port: options.port },
    log,
    afterAnswer: new AfterAnswer(store.db, options.realClock ? () => new Date() : clock.now, log, { maxDelayMs: options.afterAnswerDelayMs ?? 0 }),
  };
  const app = await buildApp(ctx, { logLevel: false, trustedProxies: options.trustedProxies ?? [], publicUrl: options.publicUrl });
  await app.ready();
  ctx.afterAnswer.start(ctx, AFTER_ANSWER_JOBS);
  return {
    app, ctx, clock, outbox,
    async close() {
      await app.close();
      await ctx.afterAnswer.close();
      await store.close();
      await database?.drop();
    },
  };
}

export interface Organization {
  readonly organizationId: string;
  readonly masterId: string;
  readonly email: string;
  readonly password: string;
}

let counter = 0;
/** A unique email for this test process. */
export const uniqueEmail = (label = 'member'): string => `${label}-${process.pid}-${++counter}@example.test`;
export const PASSWORD = 'Correct-Horse-9';

export async function newOrganization(t: TestApp, name = 'Acme Support'): Promise<Organization> {
  const email = uniqueEmail('master');
  const created = await createOrganization(t.ctx, { organizationName: name, name: 'Mara Master', email, password: PASSWORD });
  return { organizationId: created.organizationId, masterId: created.memberId, email, password: PASSWORD };
}

/** A JSON request; `token` sends a bearer session. */
export function call(
  t: TestApp, method: InjectOptions['method'], url: string, body?: unknown, token?: string, headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method, url,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

/** Signs in from the Technician Console and returns the answer (a transaction). */
export async function consoleSignIn(t: TestApp, email: string, password = PASSWORD, version?: string) {
  const response = await call(t, 'POST', '/api/v1/sign-in', { email, password, client: { kind: 'technician-console', ...(version ? { version } : {}) } });
  return { response, body: response.json() as TransactionBody };
}

/** Signs in with a password where nothing more is required, and returns the bearer token. */
export async function tokenFor(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  const { response, body } = await consoleSignIn(t, email, password);
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(body.state, 'complete', `expected a completed sign-in, got ${body.state}`);
  assert.ok(body.session?.token);
  return body.session.token;
}

export interface TransactionBody {
  id: string;
  purpose: string;
  state: string;
  factors: Array<{ id: string; type: string; label: string; locked: boolean; confirmed?: boolean }>;
  defaultFactorId: string | null;
  setup?: { primaryMethod: string | null; allowedMethods: string[]; confirmed: boolean };
  expiresAt: string;
  session?: { token?: string; expiresAt: string };
  code?: string;
}

/** The code in the latest message sent to `to`. */
export function lastCode(t: TestApp, to: string): string {
  const message = [...t.outbox].reverse().find((m) => m.to === to && /\b\d{6}\b/.test(m.text));
  assert.ok(message, `no code was sent to ${to}`);
  return /\b(\d{6})\b/.exec(message.text)![1]!;
}

/**
 * Every operation the OpenAPI document lists (only `methods`, when given), ids filled with `id`,
 * except signing out: a sweep would end the session it runs with.
 */
export async function documentedRoutes(t: TestApp, id: string, methods?: readonly string[]): Promise<Array<{ method: string; path: string }>> {
  const doc = (await call(t, 'GET', '/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
  return Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations)
    .filter((method) => !methods || methods.includes(method))
    .map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, id) })))
    .filter((route) => route.path !== '/api/v1/sign-out' && route.path !== '/api/v1/me/sign-out-everywhere');
}
