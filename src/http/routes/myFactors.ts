/** A member's own two-step verification methods: list, verify again, add, confirm, remove; recovery codes. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { describeMe } from '../../services/members/describeMe.ts';
import { addFactor, confirmNewFactor, removeFactor } from '../../services/myFactors/manageFactors.ts';
import { reauthenticate, reauthenticateWithPassword, sendReauthenticationCode } from '../../services/myFactors/reauthenticate.ts';
import { recoveryCodeStatus, regenerateRecoveryCodes } from '../../services/myFactors/recoveryCodes.ts';
import { actorOf } from '../guard.ts';
import { PairingFields, PushRequestSent } from './pushSchemas.ts';
import { enrolmentDetails, enrolmentFields } from '../../methods/registry.ts';
import { Code, Id, IdParams, MethodId, Password, Timestamp, TwoStepStatus, strictObject } from '../schemas.ts';

const tags = ['Account'];
const FactorIdBody = strictObject({ factorId: Id });
const ReauthBody = Type.Union([
  strictObject({ factorId: Id, code: Code }),
  strictObject({ factorId: Id, pushRequestId: Type.String({ ...Id, description: 'A push request of this session the member\'s device approved (docs/push-protocol.md); used once.' }) }),
  strictObject({ password: Type.String({ ...Password, description: 'Only while you have no method to verify with.' }) }),
]);
const AddBody = strictObject({
  type: MethodId,
  ...enrolmentFields(),
  replacesFactorId: Type.Optional(Type.String({ ...Id, description: 'Re-pair ("Start pairing again"): one of your methods the new one replaces once confirmed.' })),
});
const ConfirmBody = Type.Union([strictObject({ code: Code }), strictObject({ pushRequestId: Id })]);
const ConfirmedFactor = Type.Object({
  id: Type.String(), type: MethodId, label: Type.String(),
  replacedFactorId: Type.Optional(Type.String({ description: 'The method this one re-paired, now removed.' })),
});

export async function myFactorRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/api/v1/me/factors', { config: { memberProfile: true }, schema: { tags, summary: 'Your two-step verification methods', response: { 200: TwoStepStatus } } },
    async (request) => (await describeMe(ctx, actorOf(request), request.memberProfile)).twoStepVerification);

  app.post<{ Body: Static<typeof FactorIdBody> }>('/api/v1/me/reauthentication/challenges', {
    schema: { tags, summary: 'Send a code to one of your SMS or email methods, or a push request to your authenticator app, to verify again', body: FactorIdBody,
      response: { 201: Type.Object({ expiresAt: Timestamp, pushRequest: Type.Optional(PushRequestSent) }) },
    },
  }, async (request, reply) => reply.code(201).send(await sendReauthenticationCode(ctx, actorOf(request), request.body.factorId)));

  app.post<{ Body: Static<typeof ReauthBody> }>('/api/v1/me/reauthentication', {
    schema: { tags, summary: 'Verify again before changing your methods: with one of them, or with your password while you have none', body: ReauthBody, response: { 200: Type.Object({ validUntil: Timestamp }) } },
  }, async (request) => {
    const body = request.body;
    return 'password' in body
      ? reauthenticateWithPassword(ctx, actorOf(request), body.password)
      : 'pushRequestId' in body
        ? reauthenticate(ctx, actorOf(request), body.factorId, { pushRequestId: body.pushRequestId })
        : reauthenticate(ctx, actorOf(request), body.factorId, { code: body.code });
  });

  app.post<{ Body: Static<typeof AddBody> }>('/api/v1/me/factors', {
    schema: {
      tags, summary: 'Add a method, or re-pair one with `replacesFactorId` (pending until confirmed; needs a recent verification)', body: AddBody,
      response: { 201: Type.Object({ id: Type.String(), type: MethodId, label: Type.String(), otpauthUri: Type.Optional(Type.String()), qrCodeSvg: Type.Optional(Type.String()), codeExpiresAt: Type.Optional(Timestamp), ...PairingFields, replacesFactorId: Type.Optional(Type.String()) }) },
    },
  }, async (request, reply) => reply.code(201).header('cache-control', 'no-store').send(await addFactor(ctx, actorOf(request), {
    type: request.body.type, details: enrolmentDetails(request.body), replacesFactorId: request.body.replacesFactorId,
  })));

  app.post<{ Params: IdParams; Body: Static<typeof ConfirmBody> }>('/api/v1/me/factors/:id/confirm', {
    schema: { tags, summary: 'Confirm a new method with a code from it', params: IdParams, body: ConfirmBody, response: { 200: ConfirmedFactor } },
  }, async (request) => confirmNewFactor(ctx, actorOf(request), request.params.id, request.body));

  app.get('/api/v1/me/recovery-codes', {
    schema: {
      tags, summary: 'How many of your recovery codes are left (never the codes)',
      response: { 200: Type.Object({ remaining: Type.Integer(), createdAt: Type.Union([Timestamp, Type.Null()]) }) },
    },
  }, async (request) => recoveryCodeStatus(ctx, actorOf(request)));

  app.post('/api/v1/me/recovery-codes', {
    schema: {
      tags, summary: 'Replace your recovery codes with a new set, shown once (needs a recent verification)',
      response: { 201: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) },
    },
  }, async (request, reply) => reply.code(201).header('cache-control', 'no-store').send(await regenerateRecoveryCodes(ctx, actorOf(request))));

  app.delete<{ Params: IdParams }>('/api/v1/me/factors/:id', {
    schema: { tags, summary: 'Remove a method (needs a recent verification; never the last one when required)', params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await removeFactor(ctx, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
}
