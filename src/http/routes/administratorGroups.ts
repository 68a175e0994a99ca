/** `/api/v1/administrator-groups`: the Administrators tree, for master administrators. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { getAdministratorGroup, listAdministratorGroups } from '../../services/groups/administratorGroups.ts';
import { createAdministratorGroup, deleteAdministratorGroup, updateAdministratorGroup } from '../../services/groups/changeAdministratorGroups.ts';
import { actorOf } from '../guard.ts';
import { Id, IdParams, Name, Timestamp, strictObject } from '../schemas.ts';
import { Description, treeNode } from './technicianGroups.ts';

const AdministratorGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
});

const CreateBody = strictObject({
  name: Name,
  parentId: Type.Optional(Type.Union([Id, Type.Null()])),
  description: Type.Optional(Description),
});

const UpdateBody = Type.Object({
  name: Type.Optional(Name),
  description: Type.Optional(Description),
  parentId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'Move below this group; null moves to the root.' })),
}, { additionalProperties: false, minProperties: 1 });

const tags = ['Administrator groups'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function administratorGroupRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.post<{ Body: Static<typeof CreateBody> }>('/api/v1/administrator-groups', {
    schema: { tags, summary: 'Create an administrator group', body: CreateBody, response: { 201: AdministratorGroup } },
  }, async (request, reply) => reply.code(201).send(await createAdministratorGroup(ctx, actorOf(request), request.body)));

  app.get('/api/v1/administrator-groups', {
    schema: { tags, summary: 'The administrator groups, as a tree', response: { 200: Type.Object({ items: Type.Array(treeNode(AdministratorGroup)) }) } },
  }, async (request) => ({ items: await listAdministratorGroups(ctx, actorOf(request)) }));

  app.get<{ Params: IdParams }>('/api/v1/administrator-groups/:id', {
    schema: { tags, summary: 'One administrator group', params: IdParams, response: { 200: AdministratorGroup } },
  }, async (request) => getAdministratorGroup(ctx, actorOf(request), request.params.id));

  app.patch<{ Params: IdParams; Body: Static<typeof UpdateBody> }>('/api/v1/administrator-groups/:id', {
    schema: { tags, summary: 'Edit or move an administrator group', params: IdParams, body: UpdateBody, response: { 200: AdministratorGroup } },
  }, async (request) => updateAdministratorGroup(ctx, actorOf(request), request.params.id, request.body));

  app.delete<{ Params: IdParams }>('/api/v1/administrator-groups/:id', {
    schema: { tags, summary: 'Delete an empty administrator group', params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await deleteAdministratorGroup(ctx, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
}
