/** Every route of the API, registered behind the one guard. */
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { administratorGroupRoutes } from './administratorGroups.ts';
import { auditEventRoutes } from './auditEvents.ts';
import { authenticatorRoutes } from './authenticator.ts';
import { firstRunRoutes } from './firstRun.ts';
import { healthRoutes } from './health.ts';
import { invitationRoutes } from './invitations.ts';
import { memberImportRoutes } from './memberImport.ts';
import { memberReportRoutes } from './memberReports.ts';
import { memberRoutes } from './members.ts';
import { myFactorRoutes } from './myFactors.ts';
import { organizationRoutes } from './organization.ts';
import { passwordRoutes } from './password.ts';
import { passwordPolicyRoutes } from './passwordPolicy.ts';
import { passwordResetRoutes } from './passwordResets.ts';
import { reportRoutes } from './reports.ts';
import { resetRoutes } from './resets.ts';
import { signInRoutes } from './signIn.ts';
import { technicianGroupRoutes } from './technicianGroups.ts';
import { transactionRoutes } from './transactions.ts';
import { treeRoutes } from './tree.ts';
import { twoStepSettingsRoutes } from './twoStepSettings.ts';

const ROUTES = [
  healthRoutes,
  firstRunRoutes,
  signInRoutes,
  transactionRoutes,
  passwordRoutes,
  passwordResetRoutes,
  twoStepSettingsRoutes,
  resetRoutes,
  myFactorRoutes,
  organizationRoutes,
  passwordPolicyRoutes,
  technicianGroupRoutes,
  administratorGroupRoutes,
  memberRoutes,
  memberImportRoutes,
  invitationRoutes,
  auditEventRoutes,
  reportRoutes,
  treeRoutes,
  memberReportRoutes,
  authenticatorRoutes,
];

export async function registerRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  for (const routes of ROUTES) await routes(app, ctx);
}
