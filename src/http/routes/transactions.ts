/**
 * The steps of a sign-in or password-change transaction. Public routes: the transaction id is the
 * capability, and on the website the browser-binding cookie must come with it.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { closedTransactionError } from '../../core/signInTransaction.ts';
import type { Context } from '../../services/context.ts';
import { activate } from '../../services/signIn/activate.ts';
import { sendChallenge } from '../../services/signIn/challenge.ts';
import { confirmFactor } from '../../services/signIn/confirmFactor.ts';
import { setUpFactor } from '../../services/signIn/setUpFactor.ts';
import { verifyRecoveryCode } from '../../services/signIn/recover.ts';
import { findTransaction } from '../../services/signIn/transactionRecord.ts';
import { verifyCode } from '../../services/signIn/verify.ts';
import { viewTransaction } from '../../services/signIn/view.ts';
import { COOKIE, readCookie } from '../cookies.ts';
import { enrolmentDetails, enrolmentFields } from '../../methods/registry.ts';
import { Code, Id, MethodId, Timestamp, strictObject } from '../schemas.ts';
import { sendTransaction } from './signIn.ts';
import { TransactionSchema } from './transactionSchema.ts';
import { PairingFields, PushRequestSent } from './pushSchemas.ts';

const TxParams = strictObject({ id: Id });
const TxFactorParams = strictObject({ id: Id, factorId: Id });
type TxParams = Static<typeof TxParams>;
type TxFactorParams = Static<typeof TxFactorParams>;

const binding = (request: FastifyRequest): string | null => readCookie(request, COOKIE.transaction);
const tags = ['Two-step verification'];
const common = { config: { public: true } } as const;

export async function transactionRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get<{ Params: TxParams }>('/api/v1/transactions/:id', {
    ...common,
    schema: { tags, summary: 'The state of a sign-in or password-change transaction', params: TxParams, response: { 200: TransactionSchema }, security: [] },
  }, async (request) => {
    const row = await findTransaction(ctx.db, request.params.id, binding(request));
    const view = await viewTransaction(ctx, request.params.id, row);
    // A failed or expired transaction answers every request with its problem, this read included.
    const closed = closedTransactionError(view.state);
    if (closed) throw closed;
    return view;
  });

  const ChallengeBody = strictObject({ factorId: Id });
  app.post<{ Params: TxParams; Body: Static<typeof ChallengeBody> }>('/api/v1/transactions/:id/challenges', {
    ...common,
    schema: {
      tags, summary: 'Send a new code to an SMS or email factor, or a push request to an authenticator app', params: TxParams, body: ChallengeBody, security: [],
      response: { 201: Type.Object({ factorId: Type.String(), expiresAt: Timestamp, pushRequest: Type.Optional(PushRequestSent) }) },
    },
  }, async (request, reply) => {
    const sent = await sendChallenge(ctx, { transactionId: request.params.id, binding: binding(request), factorId: request.body.factorId, ip: request.ip });
    return reply.code(201).send(sent);
  });

  const VerifyBody = Type.Union([
    strictObject({ factorId: Id, code: Code }),
    strictObject({ factorId: Id, pushRequestId: Type.String({ ...Id, description: 'A push request of this transaction the member\'s device approved (docs/push-protocol.md).' }) }),
  ]);
  app.post<{ Params: TxParams; Body: Static<typeof VerifyBody> }>('/api/v1/transactions/:id/verify', {
    ...common,
    schema: { tags, summary: 'Verify a code from one of the offered factors', params: TxParams, body: VerifyBody, response: { 200: TransactionSchema }, security: [] },
  }, async (request, reply) => {
    const { factorId, ...response } = request.body;
    const view = await verifyCode(ctx, { transactionId: request.params.id, binding: binding(request), factorId, response });
    return sendTransaction(request, reply, view, null);
  });

  const RecoveryBody = strictObject({ code: Code });
  app.post<{ Params: TxParams; Body: Static<typeof RecoveryBody> }>('/api/v1/transactions/:id/recovery', {
    ...common,
    schema: {
      tags, summary: 'Verify with a recovery code instead of a factor (each code works once)', params: TxParams, body: RecoveryBody,
      response: { 200: TransactionSchema }, security: [],
    },
  }, async (request, reply) => {
    const view = await verifyRecoveryCode(ctx, { transactionId: request.params.id, binding: binding(request), code: request.body.code, ip: request.ip });
    return sendTransaction(request, reply, view, null);
  });

  const FactorBody = strictObject({
    type: MethodId,
    ...enrolmentFields(),
  });
  app.post<{ Params: TxParams; Body: Static<typeof FactorBody> }>('/api/v1/transactions/:id/factors', {
    ...common,
    schema: {
      tags, summary: 'Set-up: bind a new factor (sends the first code for SMS and email)', params: TxParams, body: FactorBody, security: [],
      response: {
        201: Type.Object({
          id: Type.String(), type: MethodId, label: Type.String(),
          otpauthUri: Type.Optional(Type.String()), qrCodeSvg: Type.Optional(Type.String()), codeExpiresAt: Type.Optional(Timestamp),
          ...PairingFields,
        }),
      },
    },
  }, async (request, reply) => {
    const factor = await setUpFactor(ctx, {
      transactionId: request.params.id, binding: binding(request), type: request.body.type, details: enrolmentDetails(request.body), ip: request.ip,
    });
    return reply.code(201).header('cache-control', 'no-store').send(factor);
  });

  const ConfirmBody = Type.Union([strictObject({ code: Code }), strictObject({ pushRequestId: Id })]);
  app.post<{ Params: TxFactorParams; Body: Static<typeof ConfirmBody> }>('/api/v1/transactions/:id/factors/:factorId/confirm', {
    ...common,
    schema: { tags, summary: 'Set-up: confirm a new factor with a code from it', params: TxFactorParams, body: ConfirmBody, response: { 200: TransactionSchema }, security: [] },
  }, async (request) =>
    confirmFactor(ctx, { transactionId: request.params.id, binding: binding(request), factorId: request.params.factorId, response: request.body }));

  const ActivateBody = Type.Union([Type.Null(), strictObject({
    setupCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'The one-time setup code an administrator issued, when `setup.setupCodeRequired`.' })),
  })]);
  app.post<{ Params: TxParams; Body: Static<typeof ActivateBody> }>('/api/v1/transactions/:id/activate', {
    ...common,
    schema: { tags, summary: 'Set-up: activate the confirmed factors and complete the transaction', params: TxParams, body: ActivateBody, response: { 200: TransactionSchema }, security: [] },
  }, async (request, reply) => {
    const view = await activate(ctx, request.params.id, binding(request), request.body?.setupCode);
    // The answer carries the recovery codes: no cache may keep a copy.
    return sendTransaction(request, reply.header('cache-control', 'no-store'), view, null);
  });
}
