/**
 * `/api/v1/tree/…`: the Organization Tree loaded lazily for the Admin Center: a page of one group's
 * child groups with their counts, a search that answers while typing, and the Administrators section.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { listTreeAdministrators } from '../../services/tree/listTreeAdministrators.ts';
import { listTreeGroups } from '../../services/tree/listTreeGroups.ts';
import { searchTree } from '../../services/tree/searchTree.ts';
import { actorOf } from '../guard.ts';
import { Id, strictObject } from '../schemas.ts';

const Limit = (description: string) => Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description }));

const GroupsQuery = strictObject({
  parentId: Type.Optional(Id),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  limit: Limit('1 to 500, default 100'),
});

const TreeGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  enforceTwoStep: Type.Boolean({ description: 'The group\'s "Enforce two-step verification" setting.' }),
  groupCount: Type.Integer({ description: 'Direct child groups.' }),
  memberCount: Type.Integer({ description: 'Direct members.' }),
});

const SearchQuery = strictObject({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  limit: Limit('1 to 50, default 20'),
});

const GroupRef = Type.Object({ id: Type.String(), name: Type.String() });
const SearchHit = Type.Object({
  kind: Type.Union([Type.Literal('group'), Type.Literal('member')]),
  id: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  path: Type.Array(GroupRef, { description: 'The groups to open, from the caller\'s root: down to a group\'s parent, or down to a member\'s own group.' }),
});

const Person = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() });
const Administrators = Type.Object({
  masterAdministrators: Type.Array(Person),
  administratorGroups: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), administrators: Type.Array(Person), technicianGroups: Type.Array(GroupRef) })),
  unassignedAdministrators: Type.Array(Person),
});

const tags = ['Organization tree'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function treeRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get<{ Querystring: Static<typeof GroupsQuery> }>('/api/v1/tree/groups', {
    schema: {
      tags, summary: 'A page of one group\'s child groups (the Technicians root without parentId), by name, with their counts',
      querystring: GroupsQuery,
      response: { 200: Type.Object({ items: Type.Array(TreeGroup), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => listTreeGroups(ctx, actorOf(request), request.query));

  app.get<{ Querystring: Static<typeof SearchQuery> }>('/api/v1/tree/search', {
    schema: {
      tags, summary: 'Groups by name and members by name or email, prefix matches first, with the path to open',
      querystring: SearchQuery, response: { 200: Type.Object({ items: Type.Array(SearchHit) }) },
    },
  }, async (request) => searchTree(ctx, actorOf(request), request.query));

  app.get('/api/v1/tree/administrators', {
    schema: { tags, summary: 'The Administrators section: master administrators, administrator groups and their assignments', response: { 200: Administrators } },
  }, async (request) => listTreeAdministrators(ctx, actorOf(request)));
}
