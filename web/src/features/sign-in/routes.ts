import { lazy } from 'react';
import type { AppRoute } from '../../app/route.ts';
import { signInPaths } from './paths.ts';

export const signInRoutes: AppRoute[] = [
  { path: signInPaths.signIn, page: lazy(() => import('./SignInPage.tsx')) },
  { path: signInPaths.verify, page: lazy(() => import('./VerifyPage.tsx')) },
];
