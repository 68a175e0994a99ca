/**
 * `/api/v1/invitations/{token}`: an invited member sets their password. Public routes: the token
 * from the email is the capability (and is masked in logs, see http/redact.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { acceptInvitation, describeInvitation } from '../../services/members/acceptInvitation.ts';
import { Password, Timestamp, strictObject } from '../schemas.ts';

const TokenParams = strictObject({ token: Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }) });
type TokenParams = Static<typeof TokenParams>;
const AcceptBody = strictObject({ password: Password });
const tags = ['Invitations'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function invitationRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get<{ Params: TokenParams }>('/api/v1/invitations/:token', {
    config: { public: true },
    schema: {
      tags, summary: 'Who an open invitation is for, and the password rule to meet', params: TokenParams, security: [],
      response: {
        200: Type.Object({
          email: Type.String(), name: Type.String(), organizationName: Type.String(), expiresAt: Timestamp,
          minimumStrength: Type.String(),
        }),
      },
    },
  }, async (request) => describeInvitation(ctx, request.params.token));

  app.post<{ Params: TokenParams; Body: Static<typeof AcceptBody> }>('/api/v1/invitations/:token/accept', {
    config: { public: true },
    schema: {
      tags, summary: 'Set your password with an invitation (works once)', params: TokenParams, body: AcceptBody, security: [],
      response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    await acceptInvitation(ctx, request.params.token, request.body.password);
    return reply.code(204).send();
  });
}
