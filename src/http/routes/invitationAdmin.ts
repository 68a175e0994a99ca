/**
 * Invitations as administrators manage them: who is still invited (pending, expired, withdrawn),
 * sending a member a new invitation, and withdrawing the open one. The invited member's own routes
 * (`/api/v1/invitations/{token}`) are public and live in invitations.ts.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { listInvitations, resendInvitation, withdrawInvitation } from '../../services/members/manageInvitations.ts';
import { actorOf } from '../guard.ts';
import { IdParams, Timestamp, page, strictObject } from '../schemas.ts';

const ListQuery = strictObject({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1 to 200, default 50' })),
});

const InvitedMember = Type.Object({
  memberId: Type.String(), name: Type.String(), email: Type.String(),
  sentAt: Type.Union([Timestamp, Type.Null()], { description: 'When the latest invitation was sent; null if none ever was.' }),
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  state: Type.Union([Type.Literal('pending'), Type.Literal('expired'), Type.Literal('withdrawn')], {
    description: '`pending`: the link works until expiresAt; `expired`: it no longer does; `withdrawn`: an administrator closed it.',
  }),
});

const tags = ['Invitations'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function invitationAdminRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v1/invitations', {
    schema: {
      tags, querystring: ListQuery, response: { 200: page(InvitedMember) },
      summary: 'The members the caller may see who have not chosen a password yet, oldest first, with their latest invitation',
    },
  }, async (request) => listInvitations(ctx, actorOf(request), request.query));

  app.post<{ Params: IdParams }>('/api/v1/members/:id/invitation', {
    schema: {
      tags, params: IdParams,
      summary: 'Send the member a new invitation (7 days); their older links stop working. `conflict` once they have a password',
      response: { 201: Type.Object({ expiresAt: Timestamp, sent: Type.Boolean({ description: 'Whether the email was handed over.' }) }) },
    },
  }, async (request, reply) => reply.code(201).send(await resendInvitation(ctx, actorOf(request), request.params.id)));

  app.delete<{ Params: IdParams }>('/api/v1/members/:id/invitation', {
    schema: {
      tags, params: IdParams, response: { 204: Type.Null() },
      summary: 'Withdraw the member\'s open invitation: its link stops working. `conflict` once they have a password',
    },
  }, async (request, reply) => {
    await withdrawInvitation(ctx, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
}
