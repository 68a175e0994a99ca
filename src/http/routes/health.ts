/** Liveness and readiness for load balancers and orchestrators. */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';

export async function healthRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/healthz', { config: { public: true }, schema: { tags: ['Operations'], summary: 'The process is up', security: [] } },
    async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { public: true }, schema: { tags: ['Operations'], summary: 'The database answers', security: [] } },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ready', database: ctx.store.engine };
      } catch {
        return reply.code(503).type('application/problem+json').send({
          type: 'urn:twofold:problem:not_ready', title: 'The database does not answer.', status: 503, code: 'not_ready',
        });
      }
    });
}
