/** `POST /api/v1/me/password`: 204 when changed, 202 with a `password_change` transaction when a second factor is needed. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { changePassword } from '../../services/password/changePassword.ts';
import { actorOf } from '../guard.ts';
import { Password, strictObject } from '../schemas.ts';
import { sendTransaction } from './signIn.ts';
import { TransactionSchema } from './transactionSchema.ts';

const ChangePasswordBody = strictObject({
  currentPassword: Password,
  newPassword: Password,
  endOtherSessions: Type.Optional(Type.Boolean({ description: 'End every other session of the member once changed.' })),
});

export async function passwordRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.post<{ Body: Static<typeof ChangePasswordBody> }>('/api/v1/me/password', {
    config: { duringPasswordChange: true },
    schema: {
      tags: ['Account'], summary: 'Change your password (with a fresh second factor when two-step verification applies)',
      body: ChangePasswordBody, response: { 202: TransactionSchema, 204: Type.Null() },
    },
  }, async (request, reply) => {
    const { view, binding } = await changePassword(ctx, actorOf(request), request.body);
    if (view.state === 'complete') return reply.code(204).send();
    return sendTransaction(request, reply, view, binding, 202);
  });
}
