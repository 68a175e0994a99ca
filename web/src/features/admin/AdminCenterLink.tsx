/**
 * The header's way between a member's account and the Admin Center, for administrators only. It
 * reads the signed-in member only from the cache (the account and Admin Center pages load it), so
 * pages for signed-out visitors such as sign-in ask the server nothing more.
 */
import { skipToken, useQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import type { paths } from '../../api/schema.d.ts';
import { usePathname } from '../../app/router.ts';
import { useT } from '../../i18n/I18n.tsx';
import { accountPaths } from '../account/paths.ts';
import { meKey } from '../account/queries.ts';
import { adminPaths } from './paths.ts';

type Me = paths['/api/v1/me']['get']['responses'][200]['content']['application/json'];

export function AdminCenterLink() {
  const t = useT();
  const pathname = usePathname();
  const me = useQuery<Me>({ queryKey: meKey, queryFn: skipToken });
  if (!me.data?.role) return null;
  const inAdminCenter = pathname.startsWith(adminPaths.home);
  return (
    <nav aria-label={t('common.mainNavigation')} className="header-nav">
      <Link className="link" href={inAdminCenter ? accountPaths.account : adminPaths.home}>
        {t(inAdminCenter ? 'admin.yourAccount' : 'admin.title')}
      </Link>
    </nav>
  );
}
