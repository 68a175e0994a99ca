/** Reports: two-step verification per technician group (peers.md: a compliance view per group). */
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { complianceReport } from '../../services/twoStep/complianceReport.ts';
import { actorOf } from '../guard.ts';

export async function reportRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/api/v1/reports/two-step-verification', {
    schema: {
      tags: ['Reports'],
      summary: 'Per technician group: members required to use two-step verification, set up, still to set up, locked',
    },
  }, async (request) => complianceReport(ctx, actorOf(request)));
}
