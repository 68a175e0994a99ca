/**
 * `POST /api/v1/members/import`: bulk import from a CSV or JSON file, all or nothing; and its dry
 * run, which judges the same file the same way and writes nothing.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { checkImport } from '../../services/members/checkImport.ts';
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

const ImportPreview = Type.Object({
  valid: Type.Integer({ description: 'How many members the import would create.' }),
  members: Type.Array(Type.Object({
    row: Type.Integer({ description: 'The row as the file shows it.' }),
    name: Type.String(), email: Type.String(),
    role: Type.Union([Type.Literal('master_administrator'), Type.Literal('administrator'), Type.Null()]),
    technicianGroupId: Type.Union([Type.String(), Type.Null()]),
    technicianGroup: Type.Union([Type.String(), Type.Null()], { description: 'The group\'s path of names from the root, as a file may spell it ("Support/Tier 1").' }),
    invited: Type.Boolean({ description: 'No password in the file: the import would email an invitation.' }),
  })),
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

  app.post<{ Body: Static<typeof ImportBody> }>('/api/v1/members/import/dry-run', {
    schema: {
      tags: ['Members'],
      summary: 'Judge an import file as the import would, writing nothing: the members it would create, or import_failed with every bad row',
      body: ImportBody, response: { 200: ImportPreview },
    },
  }, async (request) => checkImport(ctx, actorOf(request), request.body));
}
