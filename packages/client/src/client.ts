/**
 * The typed client: openapi-fetch over the types generated from the server's OpenAPI document
 * (`schema.ts`, written by `npm run generate:api`; a test fails when it no longer matches the server).
 * It runs wherever `fetch` does: Node 20 and browsers.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.ts';

export type TwofoldClient = Client<paths>;

export interface TwofoldClientOptions {
  /** The server's origin, e.g. `https://twofold.example.com`; `''` for the page's own origin in a browser. */
  readonly baseUrl: string;
  /**
   * The session token a Technician Console or script holds (sent as `Authorization: Bearer …`), or a
   * function that reads it at each request. Browsers leave it out: their session is an HttpOnly cookie.
   */
  readonly token?: string | (() => string | null | undefined);
  /** `same-origin` in a browser, so the session cookie goes with each request. */
  readonly credentials?: RequestCredentials;
  /** Another `fetch` (a test double, a proxy-aware one). */
  readonly fetch?: (request: Request) => Promise<Response>;
}

export function createTwofoldClient(options: TwofoldClientOptions): TwofoldClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { token } = options;
  if (token !== undefined) {
    client.use({
      onRequest({ request }) {
        const value = typeof token === 'function' ? token() : token;
        if (value) request.headers.set('authorization', `Bearer ${value}`);
        return request;
      },
    });
  }
  return client;
}

type Json<Path extends keyof paths, Method extends keyof paths[Path], Status extends number> =
  paths[Path][Method] extends { responses: { [S in Status]: { content: { 'application/json': infer Body } } } } ? Body : never;

/** A sign-in or password-change transaction, as every step answers it. */
export type Transaction = Json<'/api/v1/transactions/{id}', 'get', 200>;
export type TransactionFactor = Transaction['factors'][number];
export type MethodId = TransactionFactor['type'];
/** A code sent (text message, email) or a push request started: `POST /api/v1/transactions/{id}/challenges`. */
export type Challenge = Json<'/api/v1/transactions/{id}/challenges', 'post', 201>;
/** A push request as the transaction's long-poll tells it (`GET /api/v1/transactions/{id}/push-request`). */
export type PushStatus = NonNullable<Json<'/api/v1/transactions/{id}/push-request', 'get', 200>['pushRequest']>;
/** The signed-in member (`GET /api/v1/me`). */
export type Me = Json<'/api/v1/me', 'get', 200>;
/** A factor being set up, as `POST /api/v1/transactions/{id}/factors` answers it. */
export type NewFactor = Json<'/api/v1/transactions/{id}/factors', 'post', 201>;
type ServedAuthenticatorRequest = Json<'/api/v1/authenticator/requests', 'get', 200>['requests'][number];
/**
 * A push request as the server shows it to a paired authenticator: its context, never the number.
 * `action` may be absent: servers from before it was added send only `purpose`.
 */
export type AuthenticatorRequest = Omit<ServedAuthenticatorRequest, 'action'> & { readonly action?: ServedAuthenticatorRequest['action'] };
/** What a client says it is at sign-in: the website, or a Technician Console and its version. */
export type ClientInfo = NonNullable<NonNullable<paths['/api/v1/sign-in']['post']['requestBody']>['content']['application/json']['client']>;
