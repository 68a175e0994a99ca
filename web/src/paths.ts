/**
 * Every page path of the site, without React: the server's page routes (src/http/web.ts) must be
 * exactly these, which test/web/serving.test.ts checks.
 */
import { accountPaths } from './features/account/paths.ts';
import { adminPaths } from './features/admin/paths.ts';
import { consolePaths } from './features/console/paths.ts';
import { firstRunPaths } from './features/first-run/paths.ts';
import { authenticatorPaths } from './features/authenticator/paths.ts';
import { homePaths } from './features/home/paths.ts';
import { passwordPaths } from './features/password/paths.ts';
import { protectAccountPaths } from './features/protect-account/paths.ts';
import { signInPaths } from './features/sign-in/paths.ts';

export const PAGE_PATHS: readonly string[] = [
  ...Object.values(homePaths), ...Object.values(signInPaths), ...Object.values(protectAccountPaths), ...Object.values(passwordPaths),
  ...Object.values(accountPaths), ...Object.values(adminPaths), ...Object.values(consolePaths), ...Object.values(firstRunPaths), ...Object.values(authenticatorPaths),
];
