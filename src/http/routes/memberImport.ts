/** `POST /api/v1/members/import`: bulk import from a CSV or JSON file, all or nothing. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { importMembers } from '../../services/members/importMembers.ts';
import { actorOf } from '../guard.ts';
import { strictObject } from '../schemas.ts';

const ImportBody = strictObject({
  format: Type.Union([Type.Literal('csv'), Type.Literal('json')]),
  content: Type.String({
    minLength: 1, maxLength: 1_000_000,
    description: 'The file\'s text. CSV: a header row `name,email,role,technicianGroup,password`; JSON: an array of objects with those keys. technicianGroup is a group id or a path of names such as "Support/Tier 1". At most 500 members.',
  }),
});

const ImportResult = Type.Object({
  imported: Type.Integer(),
  members: Type.Array(Type.Object({ id: Type.String(), email: Type.String() })),
});

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function memberImportRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.post<{ Body: Static<typeof ImportBody> }>('/api/v1/members/import', {
    schema: {
      tags: ['Members'],
      summary: 'Import up to 500 members; any bad row imports nothing and is reported (code import_failed, errors [{row, field, message}])',
      body: ImportBody, response: { 201: ImportResult },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    return reply.code(201).send(await importMembers(ctx, actor, actor.organizationId, request.body));
  });
}
