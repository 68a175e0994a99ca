/** `/api/v1/technician-groups`: the Technicians tree and its groups. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { createTechnicianGroup } from '../../services/groups/createTechnicianGroup.ts';
import { deleteTechnicianGroup } from '../../services/groups/deleteTechnicianGroup.ts';
import { getTechnicianGroup, listTechnicianGroups } from '../../services/groups/readTechnicianGroups.ts';
import { updateTechnicianGroup } from '../../services/groups/updateTechnicianGroup.ts';
import { actorOf } from '../guard.ts';
import { Id, IdParams, NAME_MAX, Timestamp, strictObject } from '../schemas.ts';

export const Description = Type.String({ maxLength: 1000 });
const NullableId = Type.Union([Id, Type.Null()]);
/** A name as everywhere, but without "/": it separates the names in a group's path (imports). */
const GroupName = Type.String({
  minLength: 1, maxLength: NAME_MAX, pattern: '\\S',
  description: 'Must not contain "/", which separates the names in a group path such as "Support/Tier 1" (400 `validation_failed` on `body/name`).',
});

const TechnicianGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  enforceTwoStepVerification: Type.Boolean({ description: 'The group\'s "Enforce two-step verification" setting.' }),
  createdAt: Timestamp,
});

/** A tree node; `children` holds nodes of the same shape. */
export const treeNode = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ ...item.properties, children: Type.Array(Type.Object({}, { additionalProperties: true, description: 'Nodes of the same shape' })) });

const CreateBody = strictObject({
  name: GroupName,
  parentId: Type.Optional(NullableId),
  description: Type.Optional(Description),
  enforceTwoStepVerification: Type.Optional(Type.Boolean({ description: 'Default: the parent\'s value (false at the root).' })),
});

const UpdateBody = Type.Object({
  name: Type.Optional(GroupName),
  description: Type.Optional(Description),
  parentId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'Move below this group; null moves to the root.' })),
  enforceTwoStepVerification: Type.Optional(Type.Boolean()),
  applyToSubgroups: Type.Optional(Type.Boolean({ description: '"Save changes to subgroups": also give every subgroup this group\'s enforceTwoStepVerification.' })),
}, { additionalProperties: false, minProperties: 1 });

const tags = ['Technician groups'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function technicianGroupRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.post<{ Body: Static<typeof CreateBody> }>('/api/v1/technician-groups', {
    schema: { tags, summary: 'Create a technician group', body: CreateBody, response: { 201: TechnicianGroup } },
  }, async (request, reply) => reply.code(201).send(await createTechnicianGroup(ctx, actorOf(request), request.body)));

  app.get('/api/v1/technician-groups', {
    schema: {
      tags, summary: 'The technician groups the caller may see, as a tree',
      response: { 200: Type.Object({ items: Type.Array(treeNode(TechnicianGroup)) }) },
    },
  }, async (request) => ({ items: await listTechnicianGroups(ctx, actorOf(request)) }));

  app.get<{ Params: IdParams }>('/api/v1/technician-groups/:id', {
    schema: { tags, summary: 'One technician group', params: IdParams, response: { 200: TechnicianGroup } },
  }, async (request) => getTechnicianGroup(ctx, actorOf(request), request.params.id));

  app.patch<{ Params: IdParams; Body: Static<typeof UpdateBody> }>('/api/v1/technician-groups/:id', {
    schema: { tags, summary: 'Edit or move a technician group', params: IdParams, body: UpdateBody, response: { 200: TechnicianGroup } },
  }, async (request) => updateTechnicianGroup(ctx, actorOf(request), request.params.id, request.body));

  app.delete<{ Params: IdParams }>('/api/v1/technician-groups/:id', {
    schema: { tags, summary: 'Delete an empty technician group', params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await deleteTechnicianGroup(ctx, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
}
