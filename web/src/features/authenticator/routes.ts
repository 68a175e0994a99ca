import { lazy } from 'react';
import type { AppRoute } from '../../app/route.ts';
import { authenticatorPaths } from './paths.ts';

export const authenticatorRoutes: AppRoute[] = [
  { path: authenticatorPaths.authenticator, page: lazy(() => import('./AuthenticatorPage.tsx')) },
];
