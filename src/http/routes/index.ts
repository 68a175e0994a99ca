/** Every route of the API, registered behind the one guard. */
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { firstRunRoutes } from './firstRun.ts';
import { healthRoutes } from './health.ts';
import { myFactorRoutes } from './myFactors.ts';
import { passwordRoutes } from './password.ts';
import { resetRoutes } from './resets.ts';
import { signInRoutes } from './signIn.ts';
import { transactionRoutes } from './transactions.ts';
import { twoStepSettingsRoutes } from './twoStepSettings.ts';

const ROUTES = [
  healthRoutes,
  firstRunRoutes,
  signInRoutes,
  transactionRoutes,
  passwordRoutes,
  twoStepSettingsRoutes,
  resetRoutes,
  myFactorRoutes,
];

export async function registerRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  for (const routes of ROUTES) await routes(app, ctx);
}
