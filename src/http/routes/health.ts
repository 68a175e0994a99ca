/**
 * Liveness and readiness for load balancers and orchestrators. /healthz: the process answers.
 * /readyz: send it requests. The database answers, the migrations are done (the server listens only
 * after them) and the node is not draining (draining.ts).
 */
import { sql } from 'kysely';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Context } from '../../services/context.ts';
import { installDraining } from '../draining.ts';

export async function healthRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  installDraining(app);
  app.get('/healthz', { config: { public: true }, schema: { tags: ['Operations'], summary: 'The process is up', security: [] } },
    async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { public: true }, schema: { tags: ['Operations'], summary: 'The database answers and the server is not stopping', security: [] } },
    async (_request, reply) => {
      if (app.draining) return notReady(reply, 'The server is stopping.');
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ready', database: ctx.store.engine };
      } catch {
        return notReady(reply, 'The database does not answer.');
      }
    });
}

function notReady(reply: FastifyReply, title: string): FastifyReply {
  return reply.code(503).type('application/problem+json').send({ type: 'urn:twofold:problem:not_ready', title, status: 503, code: 'not_ready' });
}
