/**
 * The composition root: turns validated configuration into a running context (store, keys, message
 * senders) and, for `serve`, an HTTP server with graceful shutdown. Nothing else reads the environment.
 */
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Config } from './config.ts';
import { TwofoldError } from './core/errors.ts';
import { setHashingThreads } from './crypto/hashingThreads.ts';
import { loadSecretKey } from './crypto/keys.ts';
import { openSetupToken, type SetupToken } from './crypto/setupToken.ts';
import { createSecretBox } from './crypto/secretBox.ts';
import { deliveryFromEnv } from './delivery/config.ts';
import { buildApp } from './http/app.ts';
import { AfterAnswer } from './services/afterAnswer.ts';
import { AFTER_ANSWER_JOBS } from './services/afterAnswerJobs.ts';
import type { Context, Logger } from './services/context.ts';
import { startHousekeeping } from './services/housekeeping/schedule.ts';
import { hasAnyOrganization } from './services/organizations/createOrganization.ts';
import { openStore } from './storage/database.ts';
import { isDatabaseKey } from './storage/secretKeyCheck.ts';

export interface Runtime {
  readonly ctx: Context;
  /** Lines for the start-up log: where data, keys and messages go. */
  readonly notices: string[];
  close(): Promise<void>;
}

export async function openRuntime(config: Config, env: NodeJS.ProcessEnv, log: Logger): Promise<Runtime> {
  const clock = () => new Date();
  let delivery;
  try {
    delivery = deliveryFromEnv(env, config.dataDir, clock);
  } catch (error) {
    if (error instanceof TwofoldError) throw new ConfigError([error.message]);
    throw error;
  }
  if (config.hashingThreads !== undefined) setHashingThreads(config.hashingThreads);
  // Everything Twofold writes (database, its WAL, key file, outbox) is for its own user only.
  process.umask(0o077);
  const key = loadSecretKey(config.secretKey, config.dataDir);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sqliteCacheMb: config.sqliteCacheMb, sqliteMmapMb: config.sqliteMmapMb });
  if (!(await isDatabaseKey(store.db, key.keys.codeMac, clock()))) {
    await store.close();
    throw new ConfigError([`the secret key (${key.source}) is not the one this database was written with: give every node the same TWOFOLD_SECRET_KEY`]);
  }
  const ctx: Context = {
    store,
    db: store.db,
    clock,
    secretBox: createSecretBox(key.keys.encryption),
    codeMacKey: key.keys.codeMac,
    senders: { sms: delivery.sms, email: delivery.email },
    settings: {
      sessionIdleMs: config.sessionIdleMinutes * 60_000,
      sessionMaxMs: config.sessionMaxHours * 3_600_000,
      publicUrl: config.publicUrl,
      port: config.port,
    },
    log,
    afterAnswer: new AfterAnswer(store.db, clock, log),
  };
  return {
    ctx,
    notices: [`Database: ${store.description}`, `Secret key: ${key.source}`, ...delivery.notices],
    close: async () => {
      await ctx.afterAnswer.close();
      await store.close();
    },
  };
}

export interface Serving {
  readonly app: FastifyInstance;
  /** The first run's one-time setup token while the deployment has no organization, else null. */
  readonly setupToken: SetupToken | null;
}

/**
 * Starts the HTTP server; SIGINT and SIGTERM make it drain (not ready, still serving) for
 * TWOFOLD_DRAIN_SECONDS, then stop taking requests, finish those under way, and close.
 */
export async function serve(config: Config, env: NodeJS.ProcessEnv): Promise<Serving> {
  let app: FastifyInstance | undefined;
  const log: Logger = {
    info: (obj, msg) => app?.log.info(obj, msg),
    warn: (obj, msg) => app?.log.warn(obj, msg),
    error: (obj, msg) => app?.log.error(obj, msg),
  };
  const runtime = await openRuntime(config, env, log);
  const setupToken = openSetupToken(config.dataDir, !(await hasAnyOrganization(runtime.ctx)));
  app = await buildApp(runtime.ctx, { logLevel: config.logLevel, trustedProxies: config.trustedProxies, publicUrl: config.publicUrl, setupToken, connectionLimits: config.connectionLimits });
  for (const notice of runtime.notices) app.log.info(notice);
  await app.listen({ port: config.port, host: config.host });
  // Ended transactions, old sessions, spent codes and counts are deleted in the background.
  const housekeeping = startHousekeeping(runtime.ctx);
  // Work queued after answers, by this node or any other (one that stopped half-way, say).
  runtime.ctx.afterAnswer.start(runtime.ctx, AFTER_ANSWER_JOBS);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing || !app) return;
    closing = true;
    // Not ready first, still serving, so the load balancer moves new requests away before any is
    // refused; then the listener closes, requests under way finish and idle connections are closed.
    app.draining = true;
    app.log.info({ signal, drainMs: config.drainMs }, 'draining, then shutting down');
    const force = setTimeout(() => process.exit(1), config.drainMs + 10_000).unref();
    await new Promise((resolve) => setTimeout(resolve, config.drainMs));
    await app.close();
    await housekeeping.stop();
    await runtime.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return { app, setupToken };
}
