/**
 * Draining: a node told to stop (SIGTERM) first says so to its load balancer, and only then stops
 * taking requests. While `app.draining` is set, GET /readyz answers 503 so the balancer sends new
 * requests elsewhere, every answer still given asks the client to close its keep-alive connection
 * (`Connection: close`), so clients reconnect through the balancer to another node, and requests under
 * way finish as usual. runtime.ts sets it, waits TWOFOLD_DRAIN_SECONDS, then closes the server.
 */
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set once the node is stopping: not ready, and connections close after their answer. */
    draining: boolean;
  }
}

export function installDraining(app: FastifyInstance): void {
  app.decorate('draining', false);
  // A callback hook, not an async one: it runs on every answer, and it has nothing to wait for.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (app.draining) reply.header('connection', 'close');
    done(null, payload);
  });
}
