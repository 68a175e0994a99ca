import { lazy } from 'react';
import type { AppRoute } from '../../app/route.ts';
import { passwordPaths } from './paths.ts';

export const passwordRoutes: AppRoute[] = [
  { path: passwordPaths.invitation, page: lazy(() => import('./InvitationPage.tsx')) },
  { path: passwordPaths.forgotPassword, page: lazy(() => import('./ForgotPasswordPage.tsx')) },
  { path: passwordPaths.passwordReset, page: lazy(() => import('./PasswordResetPage.tsx')) },
];
