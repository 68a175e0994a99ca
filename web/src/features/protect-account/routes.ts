import { lazy } from 'react';
import type { AppRoute } from '../../app/route.ts';
import { protectAccountPaths } from './paths.ts';

export const protectAccountRoutes: AppRoute[] = [
  { path: protectAccountPaths.protectAccount, page: lazy(() => import('./ProtectAccountPage.tsx')) },
];
