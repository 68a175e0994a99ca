import { lazy } from 'react';
import type { AppRoute } from '../../app/route.ts';
import { homePaths } from './paths.ts';

export const homeRoutes: AppRoute[] = [{ path: homePaths.home, page: lazy(() => import('./HomePage.tsx')) }];
