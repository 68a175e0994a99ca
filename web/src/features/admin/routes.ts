import { lazy } from 'react';
import type { AppRoute } from '../../app/route.ts';
import { adminPaths } from './paths.ts';

// One lazy page for the three paths: the Admin Center's layout stays mounted while the URL changes.
const AdminCenterPage = lazy(() => import('./AdminCenterPage.tsx'));

export const adminRoutes: AppRoute[] = Object.values(adminPaths).map((path) => ({ path, page: AdminCenterPage }));
