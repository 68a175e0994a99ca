/** `/api/v1/organization`: the caller's organization and its Master Account Holder. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { getOrganization } from '../../services/organizations/getOrganization.ts';
import { transferMasterAccountHolder } from '../../services/organizations/transferMasterAccountHolder.ts';
import { actorOf } from '../guard.ts';
import { Id, strictObject } from '../schemas.ts';

const Organization = Type.Object({
  id: Type.String(),
  name: Type.String(),
  masterAccountHolderId: Type.Union([Type.String(), Type.Null()]),
});
const TransferBody = strictObject({ memberId: Id });
const tags = ['Organization'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function organizationRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/api/v1/organization', {
    schema: { tags, summary: 'Your organization', response: { 200: Organization } },
  }, async (request) => getOrganization(ctx, actorOf(request)));

  app.post<{ Body: Static<typeof TransferBody> }>('/api/v1/organization/master-account-holder', {
    schema: {
      tags, summary: 'Hand the Master Account Holder role to another master administrator (the holder only)',
      body: TransferBody, response: { 200: Organization },
    },
  }, async (request) => transferMasterAccountHolder(ctx, actorOf(request), request.body.memberId));
}
