import { lazy } from 'react';
import type { AppRoute } from '../../app/route.ts';
import { consolePaths } from './paths.ts';

export const consoleRoutes: AppRoute[] = [{ path: consolePaths.consoleVersion, page: lazy(() => import('./ConsoleVersionPage.tsx')) }];
