/**
 * No connection is held forever. Node's defaults wait a minute for headers, five minutes for a whole
 * request and check only every 30 seconds, so a client sending a byte now and then keeps a socket,
 * and enough of them keep them all. The server cuts off a client whose headers, or whole request, are
 * late (answering 408 `request_timeout`, see malformedRequests.ts), closes idle keep-alive connections,
 * and refuses connections beyond a cap.
 */
import type { Server, ServerOptions } from 'node:http';

export interface ConnectionLimits {
  /** From a request's first byte to the end of its headers. */
  readonly headersTimeoutMs: number;
  /** From a request's first byte to the end of its body. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections beyond this are closed at once. */
  readonly maxConnections: number;
}

/** What a reverse proxy in front would use (nginx waits 60 s for a header or body, keeps idle connections 75 s). */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  // Above the 60-second idle timeout of common load balancers: the balancer, not Twofold, must close
  // an idle connection first, or it may send a request on one Twofold is closing (a 502).
  keepAliveTimeoutMs: 72_000,
  maxConnections: 1_000,
};

/** Fastify's options for the timeouts. */
export function serverOptions(limits: ConnectionLimits): { requestTimeout: number; keepAliveTimeout: number; http: ServerOptions } {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the timeouts on this interval (30 s by default): a timeout is only as good as it.
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
      // Answered as a problem by refuseMalformedRequests (Node's own check sends an empty 400).
      requireHostHeader: false,
    },
  };
}

export function applyConnectionCap(server: Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.maxConnections;
}
