import { lazy } from 'react';
import type { AppRoute } from '../../app/route.ts';
import { firstRunPaths } from './paths.ts';

export const firstRunRoutes: AppRoute[] = [{ path: firstRunPaths.firstRun, page: lazy(() => import('./FirstRunPage.tsx')) }];
