/**
 * The organization suites' test app: the shared harness's set-up, plus the organization routes
 * when src/http/routes/index.ts does not register them yet (they are registered there in the end;
 * this keeps the suites runnable meanwhile).
 */
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createSecretBox } from '../../src/crypto/secretBox.ts';
import type { Message, MessageSender } from '../../src/delivery/ports.ts';
import { buildApp } from '../../src/http/app.ts';
import { administratorGroupRoutes } from '../../src/http/routes/administratorGroups.ts';
import { auditEventRoutes } from '../../src/http/routes/auditEvents.ts';
import { invitationRoutes } from '../../src/http/routes/invitations.ts';
import { memberImportRoutes } from '../../src/http/routes/memberImport.ts';
import { memberRoutes } from '../../src/http/routes/members.ts';
import { organizationRoutes } from '../../src/http/routes/organization.ts';
import { passwordPolicyRoutes } from '../../src/http/routes/passwordPolicy.ts';
import { technicianGroupRoutes } from '../../src/http/routes/technicianGroups.ts';
import type { Context } from '../../src/services/context.ts';
import { openStore, type Engine } from '../../src/storage/database.ts';
import type { TestApp, TestClock } from '../support/harness.ts';
import { createTestDatabase } from '../support/postgres.ts';

export { engines, call, tokenFor, uniqueEmail, PASSWORD, newOrganization } from '../support/harness.ts';
export type { TestApp, Engine };

const ORGANIZATION_ROUTES = [
  technicianGroupRoutes, administratorGroupRoutes, memberRoutes, memberImportRoutes,
  invitationRoutes, organizationRoutes, passwordPolicyRoutes, auditEventRoutes,
];

async function addMissingRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  if (app.hasRoute({ method: 'GET', url: '/api/v1/members' })) return;
  for (const routes of ORGANIZATION_ROUTES) await routes(app, ctx);
}

export async function createOrgTestApp(engine: Engine = 'sqlite'): Promise<TestApp> {
  let database: { url: string; drop(): Promise<void> } | undefined;
  if (engine === 'postgres') {
    const adminUrl = process.env.TWOFOLD_TEST_POSTGRES_URL;
    assert.ok(adminUrl, 'TWOFOLD_TEST_POSTGRES_URL must be set for PostgreSQL tests');
    database = await createTestDatabase(adminUrl);
  }
  const store = await openStore({ databaseUrl: database?.url, dataDir: '/nonexistent', sqliteFile: ':memory:' });
  let current = new Date('2026-06-01T12:00:00.000Z');
  const clock: TestClock = {
    now: () => new Date(current),
    advance: (ms) => { current = new Date(current.getTime() + ms); },
    set: (date) => { current = date; },
  };
  const outbox: Message[] = [];
  const recorder = (channel: 'sms' | 'email'): MessageSender => ({
    channel, description: 'test recorder', send: async (message) => { outbox.push(message); },
  });
  const ctx: Context = {
    store,
    db: store.db,
    clock: clock.now,
    secretBox: createSecretBox(randomBytes(32)),
    codeMacKey: randomBytes(32),
    senders: { sms: recorder('sms'), email: recorder('email') },
    settings: { sessionIdleMs: 3_600_000, sessionMaxMs: 86_400_000, publicUrl: undefined },
    log: { info: () => {}, warn: () => {}, error: () => {} },
  };
  const app = await buildApp(ctx, { logLevel: false, trustedProxies: [], publicUrl: undefined });
  await addMissingRoutes(app, ctx);
  await app.ready();
  return {
    app, ctx, clock, outbox,
    async close() {
      await app.close();
      await store.close();
      await database?.drop();
    },
  };
}

/** The invitation token in the latest invitation sent to `to`. */
export function invitationToken(t: TestApp, to: string): string {
  const message = [...t.outbox].reverse().find((m) => m.to === to && m.text.includes('/invitations/'));
  assert.ok(message, `no invitation was sent to ${to}`);
  return /\/invitations\/([A-Za-z0-9_-]+)/.exec(message.text)![1]!;
}
