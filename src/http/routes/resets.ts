/** `POST /api/v1/two-step-verification/resets`: "Force two-step verification reset" for selected members. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { resetTwoStep } from '../../services/twoStep/resetTwoStep.ts';
import { actorOf } from '../guard.ts';
import { Id, strictObject } from '../schemas.ts';

const ResetBody = strictObject({
  memberIds: Type.Array(Id, { minItems: 1, maxItems: 500 }),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  endSessions: Type.Optional(Type.Boolean({ description: 'Also end the members\' sessions (lost or stolen phone).' })),
});

export async function resetRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.post<{ Body: Static<typeof ResetBody> }>('/api/v1/two-step-verification/resets', {
    schema: {
      tags: ['Two-step verification'],
      summary: 'Force two-step verification reset: the members set it up again at their next sign-in',
      body: ResetBody,
      response: { 200: Type.Object({ reset: Type.Integer({ description: 'Members who had two-step verification set up.' }) }) },
    },
  }, async (request) => resetTwoStep(ctx, actorOf(request), request.body));
}
