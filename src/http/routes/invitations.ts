/**
 * `/api/v1/invitations/{token}`: an invited member sets their password, and sets up two-step
 * verification in the same sign-in when they must use it. Public routes: the token from the email is
 * the capability (and is masked in logs, see http/redact.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { acceptInvitation, describeInvitation } from '../../services/members/acceptInvitation.ts';
import { isMemberLanguage, languageFromAcceptLanguage } from '../../core/languages.ts';
import { LinkTokenParams, Password, Timestamp, strictObject, MinimumStrength } from '../schemas.ts';
import { Client, sendTransaction } from './signIn.ts';
import { TransactionSchema } from './transactionSchema.ts';

const AcceptBody = strictObject({
  password: Password, client: Type.Optional(Client),
  language: Type.Optional(Type.String({ maxLength: 35, description: 'The invited member\'s language (`en`, `fr`, `it`, `de`, `es`, `pt`, `nl`), as the page showing the invitation speaks it; absent or another one: the first of the request\'s Accept-Language that Twofold speaks, else none. Their emails and text messages are written in it.' })),
});
const tags = ['Invitations'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function invitationRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get<{ Params: LinkTokenParams }>('/api/v1/invitations/:token', {
    config: { public: true },
    schema: {
      tags, summary: 'Who an open invitation is for, and the password rule to meet', params: LinkTokenParams, security: [],
      response: {
        200: Type.Object({
          email: Type.String(), name: Type.String(), organizationName: Type.String(), expiresAt: Timestamp,
          minimumStrength: MinimumStrength,
          twoStepVerificationRequired: Type.Boolean({ description: 'Accepting continues with setting up two-step verification; the password is set only when it is activated.' }),
        }),
      },
    },
  }, async (request) => describeInvitation(ctx, request.params.token));

  app.post<{ Params: LinkTokenParams; Body: Static<typeof AcceptBody> }>('/api/v1/invitations/:token/accept', {
    config: { public: true },
    schema: {
      tags, summary: 'Set your password with an invitation (works once)', params: LinkTokenParams, body: AcceptBody, security: [],
      description: 'Sets the password and spends the link (204). A member who must use two-step verification gets a sign-in '
        + 'transaction in set-up instead (202): the password is set, the link spent and the member signed in only when '
        + '`POST /api/v1/transactions/{id}/activate` completes it. Until then the member has no password; if the set-up '
        + 'expires, the link can be used again.',
      response: { 202: TransactionSchema, 204: Type.Null() },
    },
  }, async (request, reply) => {
    const started = await acceptInvitation(ctx, {
      token: request.params.token, password: request.body.password, client: request.body.client ?? { kind: 'website' }, ip: request.ip,
      language: isMemberLanguage(request.body.language) ? request.body.language : languageFromAcceptLanguage(request.headers['accept-language']),
    });
    if (started === null) return reply.code(204).send();
    return sendTransaction(request, reply, started.view, started.binding, 202);
  });
}
