/**
 * The Admin Center: the Organization Tree on the left, the Workspace on the right with its tabs. The
 * URL holds what is shown (`/admin/org/:kind/:id/:tab`, `/admin/global-settings`). Only administrators
 * see it: a member without a role is sent to their account, someone signed out to sign in; the server
 * refuses their requests anyway.
 */
import { useEffect } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { navigate, usePathname } from '../../app/router.ts';
import type { PageProps } from '../../app/route.ts';
import { ErrorAlert } from '../../components/Alert.tsx';
import { isProblem } from '../../api/problem.ts';
import { useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { accountPaths } from '../account/paths.ts';
import { useMe } from '../account/queries.ts';
import { signInPaths } from '../sign-in/paths.ts';
import { adminPaths, isNodeKind, isTab, nodePath, type NodeKind, type Tab as TabId } from './paths.ts';
import { OrganizationTree } from './tree/OrganizationTree.tsx';
import { Workspace } from './Workspace.tsx';
import './admin.css';

export default function AdminCenterPage({ params }: PageProps) {
  const t = useT();
  const me = useMe();
  const pathname = usePathname();
  const role = me.data?.role ?? null;
  useEffect(() => {
    if (isProblem(me.error, 'unauthenticated')) navigate(signInPaths.signIn, { replace: true });
    else if (me.data && me.data.role === null) navigate(accountPaths.account, { replace: true });
  }, [me.error, me.data]);

  if (!me.data || role === null) {
    const message = me.error && !isProblem(me.error, 'unauthenticated') ? errorMessage(me.error) : null;
    return <ErrorAlert message={message ? t(message.id, message.values) : null} />;
  }
  const isMaster = role === 'master_administrator';
  const path = pathname.replace(/\/+$/, '');
  const onGlobalSettings = path === adminPaths.globalSettings;
  const kind: NodeKind | null = isNodeKind(params.kind) ? params.kind : null;
  const node = kind && params.id ? { kind, id: params.id } : null;
  const tab: TabId | 'global-settings' = onGlobalSettings ? 'global-settings'
    : path === adminPaths.reports ? 'reports' : isTab(params.tab) ? params.tab : 'organization';
  const link = (to: TabId) => (node ? nodePath(node.kind, node.id, to) : to === 'reports' ? adminPaths.reports : adminPaths.home);
  // Settings belong to a technician group; the other tabs need no selection.
  const disabled = node?.kind === 'group' ? [] : ['settings'];

  return (
    <div className="admin-layout">
      <h1 className="visually-hidden">{t('admin.title')}</h1>
      <nav className="admin-tree-pane" aria-label={t('admin.tree.label')}>
        <h2 className="admin-pane-heading">{t('admin.tree.title')}</h2>
        <OrganizationTree isMaster={isMaster} currentKey={node ? `${node.kind}:${node.id}` : null} />
      </nav>
      <div className="admin-workspace">
        <Tabs selectedKey={tab} disabledKeys={disabled}>
          <TabList aria-label={t('admin.workspace.tabs')} className="tab-list">
            <Tab id="organization" href={link('organization')} className="tab">{t('admin.tab.organization')}</Tab>
            <Tab id="settings" href={link('settings')} className="tab">{t('admin.tab.settings')}</Tab>
            <Tab id="reports" href={link('reports')} className="tab">{t('admin.tab.reports')}</Tab>
            {isMaster ? <Tab id="global-settings" href={adminPaths.globalSettings} className="tab">{t('admin.tab.globalSettings')}</Tab> : null}
          </TabList>
          <TabPanel key={tab} id={tab} className="tab-panel">
            <Workspace tab={tab} node={node} isMaster={isMaster} />
          </TabPanel>
        </Tabs>
      </div>
    </div>
  );
}
