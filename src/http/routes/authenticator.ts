/**
 * The authenticator's side of push (docs/push-protocol.md), and the sign-in side's waits. The
 * authenticator holds no session: pairing is authorized by the link's token, reads by the device's
 * signature on each request, and each answer by its own signature over the request.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertUsable } from '../../core/signInTransaction.ts';
import type { Context } from '../../services/context.ts';
import { sessionScope } from '../../services/myFactors/reauthenticate.ts';
import { decide } from '../../services/push/decide.ts';
import { DEVICE_HEADER, authenticateDevice } from '../../services/push/deviceAuth.ts';
import { registerDevice } from '../../services/push/pairing.ts';
import { pendingRequestsOf } from '../../services/push/pushViews.ts';
import { waitForPush } from '../../services/push/waitForPush.ts';
import { findTransaction, snapshotOf } from '../../services/signIn/transactionRecord.ts';
import { COOKIE, readCookie } from '../cookies.ts';
import { actorOf } from '../guard.ts';
import { Id, strictObject } from '../schemas.ts';
import { endStreamsOf, openDeviceStream } from './authenticatorStream.ts';
import { PushRequestContext, PushWaitAnswer, PushWaitQuery } from './pushSchemas.ts';

const tags = ['Authenticator app notification'];
const common = { config: { public: true } } as const;
const DEVICE_SECURITY = { description: '`Twofold-Device: <deviceId>.<timestamp>.<signature>` (docs/push-protocol.md "Device authentication").' };

const PairingBody = strictObject({
  pairingToken: Type.String({ minLength: 20, maxLength: 100 }),
  publicKey: Type.String({ minLength: 40, maxLength: 400, description: 'ECDSA P-256 public key, SPKI DER in base64url.' }),
  deviceName: Type.String({ minLength: 1, maxLength: 64 }),
  platform: Type.String({ minLength: 1, maxLength: 32 }),
});
const DecisionParams = strictObject({ requestId: Id });
const DecisionBody = strictObject({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('deny'), Type.Literal('deny_and_report')]),
  number: Type.String({ pattern: '^[0-9]{0,6}$', description: 'What the member typed; empty for a denial.' }),
  signature: Type.String({ minLength: 1, maxLength: 200, description: 'ECDSA P-256 / SHA-256, IEEE P1363 (r||s), base64url.' }),
});
const TxParams = strictObject({ id: Id });
type WaitQuery = Static<typeof PushWaitQuery>;
const waitMs = (seconds: string | undefined): number => Number(seconds ?? 25) * 1000;

/** Aborted when the client goes away, so a wait does not outlive its connection. */
function abortedWhenClosed(request: FastifyRequest): AbortSignal {
  const controller = new AbortController();
  request.raw.socket?.once('close', () => controller.abort());
  return controller.signal;
}

const deviceOf = (ctx: Context, request: FastifyRequest): Promise<string> => {
  const header = request.headers[DEVICE_HEADER];
  return authenticateDevice(ctx, Array.isArray(header) ? header[0] : header, request.method, request.url.split('?')[0] ?? '');
};

export async function authenticatorRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  // Held streams would keep a stopping server open: they end first, and authenticators reconnect.
  app.addHook('preClose', async () => endStreamsOf(ctx));

  app.post<{ Body: Static<typeof PairingBody> }>('/api/v1/authenticator/pairings', {
    ...common,
    schema: {
      tags, summary: 'Pair an authenticator: register its public key with a pairing link\'s token (single use)', body: PairingBody, security: [],
      response: { 201: Type.Object({ deviceId: Type.String(), organizationName: Type.String(), memberName: Type.String(), memberEmail: Type.String(), serverOrigin: Type.String() }) },
    },
  }, async (request, reply) => reply.code(201).header('cache-control', 'no-store').send(await registerDevice(ctx, request.body)));

  app.get('/api/v1/authenticator/requests', {
    ...common,
    schema: {
      tags, summary: 'The pending requests of the signing device', description: DEVICE_SECURITY.description, security: [],
      response: { 200: Type.Object({ requests: Type.Array(PushRequestContext) }) },
    },
  }, async (request, reply) => {
    const deviceId = await deviceOf(ctx, request);
    return reply.header('cache-control', 'no-store').send({ requests: await pendingRequestsOf(ctx.db, deviceId, ctx.clock()) });
  });

  app.get('/api/v1/authenticator/stream', {
    ...common,
    schema: {
      tags, summary: 'Server-sent events: the signing device\'s requests as they come (`request`) and end (`closed`)',
      description: DEVICE_SECURITY.description, security: [],
      response: { 200: { description: '`text/event-stream`', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
    },
  }, async (request, reply) => {
    const deviceId = await deviceOf(ctx, request);
    await openDeviceStream(ctx, deviceId, reply);
  });

  app.post<{ Params: Static<typeof DecisionParams>; Body: Static<typeof DecisionBody> }>('/api/v1/authenticator/requests/:requestId/decision', {
    ...common,
    schema: {
      tags, summary: 'Approve or deny a request, signed by the device over the request id, the number and the decision',
      params: DecisionParams, body: DecisionBody, security: [],
      response: { 200: Type.Object({ id: Type.String(), state: Type.String() }) },
    },
  }, async (request) => decide(ctx, { requestId: request.params.requestId, ...request.body }));

  app.get<{ Params: Static<typeof TxParams>; Querystring: WaitQuery }>('/api/v1/transactions/:id/push-request', {
    ...common,
    schema: {
      tags, summary: 'Wait (long-poll) for the transaction\'s push request to change: answers at once when it differs from `seen`',
      params: TxParams, querystring: PushWaitQuery, security: [], response: { 200: PushWaitAnswer },
    },
  }, async (request, reply) => {
    const row = await findTransaction(ctx.db, request.params.id, readCookie(request, COOKIE.transaction));
    assertUsable(snapshotOf(row), ctx.clock(), ['verify', 'setup']);
    const status = await waitForPush(ctx, row.id, request.query.seen, waitMs(request.query.waitSeconds), abortedWhenClosed(request));
    return reply.header('cache-control', 'no-store').send({ pushRequest: status });
  });

  app.get<{ Querystring: WaitQuery }>('/api/v1/me/push-request', {
    schema: {
      tags, summary: 'Wait (long-poll) for the push request of a pairing or a verification again from this session to change',
      querystring: PushWaitQuery, response: { 200: PushWaitAnswer },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const status = await waitForPush(ctx, sessionScope(actor), request.query.seen, waitMs(request.query.waitSeconds), abortedWhenClosed(request));
    return reply.header('cache-control', 'no-store').send({ pushRequest: status });
  });
}
