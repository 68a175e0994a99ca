/**
 * Joins the features' routes. Each feature owns its paths (paths.ts), its lazy pages and its link
 * builders (routes.ts); the server declares the same paths as its page routes (src/http/web.ts).
 */
import { accountRoutes } from './features/account/routes.ts';
import { protectAccountRoutes } from './features/protect-account/routes.ts';
import { signInRoutes } from './features/sign-in/routes.ts';
import { homeRoutes } from './features/home/routes.ts';
import { passwordRoutes } from './features/password/routes.ts';
import { adminRoutes } from './features/admin/routes.ts';
import { consoleRoutes } from './features/console/routes.ts';
import { firstRunRoutes } from './features/first-run/routes.ts';
import { authenticatorRoutes } from './features/authenticator/routes.ts';
import { matchPath } from './app/router.ts';
import type { AppRoute } from './app/route.ts';

export const ROUTES: readonly AppRoute[] = [...homeRoutes, ...signInRoutes, ...protectAccountRoutes, ...passwordRoutes, ...accountRoutes, ...adminRoutes, ...consoleRoutes, ...firstRunRoutes, ...authenticatorRoutes];

export function findRoute(pathname: string): { route: AppRoute; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}
