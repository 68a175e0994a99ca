/**
 * The Organization tab before anything is selected in the tree: the way to a group or a member, and
 * the organization-wide pages for members: Import members and Invitations.
 */
import { Link } from 'react-aria-components';
import { usePathname } from '../../../app/router.ts';
import { useT } from '../../../i18n/I18n.tsx';
import { adminPaths } from '../paths.ts';
import { ImportPanel } from './ImportPanel.tsx';
import { InvitationsPanel } from './InvitationsPanel.tsx';

export function OrganizationHome() {
  const t = useT();
  const path = usePathname().replace(/\/+$/, '');
  return (
    <div>
      <nav aria-label={t('adminMembers.home.label')} className="workspace-links">
        <Link className="link" href={adminPaths.importMembers} aria-current={path === adminPaths.importMembers ? 'page' : undefined}>{t('adminMembers.import.title')}</Link>
        <Link className="link" href={adminPaths.invitations} aria-current={path === adminPaths.invitations ? 'page' : undefined}>{t('adminMembers.invitations.title')}</Link>
      </nav>
      {path === adminPaths.importMembers ? <ImportPanel />
        : path === adminPaths.invitations ? <InvitationsPanel />
        : <p className="hint">{t('admin.workspace.pick')}</p>}
    </div>
  );
}
