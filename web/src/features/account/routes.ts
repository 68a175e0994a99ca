import { lazy } from 'react';
import type { AppRoute } from '../../app/route.ts';
import { accountPaths } from './paths.ts';

export const accountRoutes: AppRoute[] = [
  { path: accountPaths.account, page: lazy(() => import('./AccountPage.tsx')) },
  { path: accountPaths.twoStepSetup, page: lazy(() => import('./SetUpFromSessionPage.tsx')) },
];
