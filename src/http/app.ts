/**
 * The HTTP edge: Fastify with JSON schemas on every route, problem+json errors, one guard in front of
 * everything, and the OpenAPI document generated from the same schemas the routes validate with.
 */
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions, type FastifyRequest } from 'fastify';
import type { SetupToken } from '../crypto/setupToken.ts';
import type { Context } from '../services/context.ts';
import { installGuard } from './guard.ts';
import { documentProblems } from './openapiProblems.ts';
import { errorHandler, sendProblem } from './problem.ts';
import { rejectNulCharacters } from './rejectNulCharacters.ts';
import { boundJsonDepth } from './jsonBody.ts';
import { applyConnectionCap, DEFAULT_CONNECTION_LIMITS, serverOptions, type ConnectionLimits } from './connectionLimits.ts';
import { clientErrorHandler, refuseMalformedRequests } from './malformedRequests.ts';
import { TwofoldError } from '../core/errors.ts';
import { registerRoutes } from './routes/index.ts';
import { redactUrl } from './redact.ts';
import { webRoutes } from './web.ts';

export interface AppOptions {
  /** Log level for structured JSON logs, or false for none (tests). */
  readonly logLevel: string | false;
  /** Addresses or CIDR ranges of proxies whose X-Forwarded-For is believed; none by default. */
  readonly trustedProxies: readonly string[];
  readonly publicUrl: string | undefined;
  /** The pending one-time setup token; without one, the first-run page cannot create an organization. */
  readonly setupToken?: SetupToken | null;
  /** Timeouts and the connection cap; the defaults when absent. */
  readonly connectionLimits?: ConnectionLimits;
  /** The built website (web/dist by default). */
  readonly webDist?: string;
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

export async function buildApp(ctx: Context, options: AppOptions): Promise<FastifyInstance> {
  const limits = options.connectionLimits ?? DEFAULT_CONNECTION_LIMITS;
  const app = Fastify({
    logger: options.logLevel === false ? false : loggerOptions(options.logLevel),
    // The client IP comes from the socket unless proxies are configured: X-Forwarded-For from anyone
    // else would let a caller pick the IP that rate limits and audit see.
    trustProxy: options.trustedProxies.length > 0 ? [...options.trustedProxies] : false,
    bodyLimit: BODY_LIMIT_BYTES,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    requestIdHeader: false,
    ...serverOptions(limits),
    // Malformed HTTP and slow clients, refused by Node before routing, answer problem+json too.
    clientErrorHandler,
    // Errors Fastify meets before routing (an over-long URL, a bad header) answer problem+json too.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
  });
  applyConnectionCap(app.server, limits);
  app.setErrorHandler(errorHandler);
  boundJsonDepth(app);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new TwofoldError('not_found', `No route ${request.method} ${redactUrl(request.url)}.`)),
  );

  app.decorate('publicOrigin', options.publicUrl ?? null);
  app.decorate('setupToken', options.setupToken ?? null);
  await app.register(cookie);
  // Before the routes: it learns each route's options as it is declared.
  const problemDocs = documentProblems(app);
  await app.register(swagger, {
    transformObject: problemDocs.transformObject,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Twofold API',
        version: '1.0.0',
        description: 'Admin Center and sign-in API of Twofold: organizations, members and enforced two-step verification.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A Technician Console session token from POST /api/v1/sign-in.' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'twofold_session', description: 'The website session cookie; named __Host-twofold_session over HTTPS.' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  refuseMalformedRequests(app);
  installGuard(app, ctx, options.publicUrl);
  rejectNulCharacters(app);
  webRoutes(app, options.webDist);
  await registerRoutes(app, ctx);
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  return app;
}

/**
 * Structured JSON logs without secrets: no headers (cookies, bearer tokens) are logged, and the URL is
 * masked where it carries a capability (transaction ids, invitation tokens).
 */
function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, url: redactUrl(request.url), ip: request.ip }),
    },
  };
}
