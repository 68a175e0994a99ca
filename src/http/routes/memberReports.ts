/**
 * Reports listing members one row each, on screen a keyset page at a time and downloadable as CSV
 * (`format=csv`), streamed in batches: the two-step verification status of every member, and the
 * Administrator status report.
 */
import { Readable } from 'node:stream';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Context } from '../../services/context.ts';
import { administratorStatusCsv, administratorStatusPage } from '../../services/reports/administratorStatusReport.ts';
import { REPORT_ROLES, REPORT_STATES, twoStepMemberReportCsv, twoStepMemberReportPage } from '../../services/reports/twoStepMemberReport.ts';
import { actorOf } from '../guard.ts';
import { Id, MethodId, page, strictObject } from '../schemas.ts';

const Format = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv downloads every row (cursor and limit are ignored); json by default, a page at a time.' }));
const Cursor = Type.Optional(Type.String({ maxLength: 1000 }));

const MembersQuery = strictObject({
  format: Format,
  technicianGroupId: Type.Optional(Id),
  role: Type.Optional(Type.Union(REPORT_ROLES.map((r) => Type.Literal(r)))),
  state: Type.Optional(Type.Union(REPORT_STATES.map((s) => Type.Literal(s)))),
  cursor: Cursor,
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1 to 200, default 50' })),
});

const GroupRef = Type.Object({ id: Type.String(), name: Type.String() });
const MemberRow = Type.Object({
  id: Type.String(), name: Type.String(), email: Type.String(), role: Type.Union(REPORT_ROLES.map((r) => Type.Literal(r))), enabled: Type.Boolean(),
  groupPath: Type.Array(GroupRef, { description: 'The member\'s technician group and its ancestors, from the root.' }),
  required: Type.Boolean(), setUp: Type.Boolean(),
  mustSetUpAgain: Type.Boolean({ description: 'Required, and every method they set up was switched off: the next sign-in sets one up again.' }),
  locked: Type.Boolean({ description: 'Locked out: a method locked after too many wrong codes, or the password after too many wrong passwords.' }),
});

const AdministratorsQuery = strictObject({
  format: Format,
  cursor: Cursor,
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1 to 500, default 100' })),
});

const AdministratorRow = Type.Object({
  id: Type.String(), name: Type.String(), email: Type.String(),
  role: Type.Union([Type.Literal('master_administrator'), Type.Literal('administrator')]),
  administratorGroup: Type.Union([GroupRef, Type.Null()]),
  required: Type.Boolean({ description: 'Two-step verification is required for them.' }),
  setUp: Type.Boolean(),
  methods: Type.Array(MethodId),
  lastSignInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  enabled: Type.Boolean(),
});

const csvDescription = 'With format=csv: text/csv, as an attachment.';

function sendCsv(reply: FastifyReply, filename: string, lines: AsyncGenerator<string>): FastifyReply {
  return reply.header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(lines));
}

export async function memberReportRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get<{ Querystring: Static<typeof MembersQuery> }>('/api/v1/reports/two-step-verification/members', {
    schema: {
      tags: ['Reports'], summary: 'Two-step verification status of each member, filtered by group (with subgroups), role and state',
      description: csvDescription, querystring: MembersQuery, response: { 200: page(MemberRow) },
    },
  }, async (request, reply) => {
    const { format, cursor, limit, ...filters } = request.query;
    if (format === 'csv') return sendCsv(reply, 'two-step-verification.csv', await twoStepMemberReportCsv(ctx, actorOf(request), filters));
    return twoStepMemberReportPage(ctx, actorOf(request), { ...filters, cursor, limit });
  });

  app.get<{ Querystring: Static<typeof AdministratorsQuery> }>('/api/v1/reports/administrators', {
    schema: {
      tags: ['Reports'], summary: 'Administrator status: two-step verification required, set up, methods, last sign-in, enabled',
      description: csvDescription, querystring: AdministratorsQuery, response: { 200: page(AdministratorRow) },
    },
  }, async (request, reply) => {
    const { format, ...paging } = request.query;
    if (format === 'csv') return sendCsv(reply, 'administrators.csv', await administratorStatusCsv(ctx, actorOf(request)));
    return administratorStatusPage(ctx, actorOf(request), paging);
  });
}
