/** Reports: two-step verification per technician group (docs/product-behaviour.md "Beyond the reference product": a report per technician group). */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { complianceReport } from '../../services/twoStep/complianceReport.ts';
import { actorOf } from '../guard.ts';
import { strictObject } from '../schemas.ts';
import { TwoStepSettingsSchema } from './twoStepSettings.ts';

const Counts = {
  members: Type.Integer(),
  required: Type.Integer({ description: 'Must use two-step verification.' }),
  setUp: Type.Integer({ description: 'Have at least one active method the organization allows.' }),
  requiredWithoutSetup: Type.Integer({ description: 'Must use it and will be asked to set it up at their next sign-in.' }),
  mustSetUpAgain: Type.Integer({ description: 'Of `requiredWithoutSetup`: their methods were all switched off; they must set up again ("must set up again").' }),
  locked: Type.Integer({ description: 'Locked out: a method locked after too many wrong codes, or the password after too many wrong passwords (each member counted once).' }),
};

const ComplianceReportSchema = Type.Object({
  settings: TwoStepSettingsSchema,
  totals: Type.Object(Counts),
  administrators: Type.Union([Type.Object(Counts), Type.Null()], { description: 'Members with no technician license; master administrators only (null for administrators).' }),
  technicianGroups: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]), enforceTwoStepVerification: Type.Boolean(), ...Counts,
  }), { description: 'Every group the caller may see; with `limit`, one page of them by name, then id.' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'With `limit`: pass as `cursor` for the next page of technicianGroups; null on the last page and without `limit`.' }),
});

const ComplianceQuery = strictObject({
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Technician groups per page, 1 to 500; without it, every group at once. The totals are always the whole organization\'s.' })),
  cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'The previous page\'s nextCursor.' })),
});

export async function reportRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get<{ Querystring: Static<typeof ComplianceQuery> }>('/api/v1/reports/two-step-verification', {
    schema: {
      tags: ['Reports'],
      summary: 'Per technician group: members required to use two-step verification, set up, still to set up, locked',
      querystring: ComplianceQuery,
      response: { 200: ComplianceReportSchema },
    },
  }, async (request) => complianceReport(ctx, actorOf(request), request.query));
}
