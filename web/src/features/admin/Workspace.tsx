/** The Workspace's content for the tab and tree node in the URL. */
import { useT } from '../../i18n/I18n.tsx';
import { GlobalSettingsPanel } from './global-settings/GlobalSettingsPanel.tsx';
import { GroupOverview } from './group/GroupOverview.tsx';
import { GroupSettingsPanel } from './group/GroupSettingsPanel.tsx';
import { MemberPanel } from './member/MemberPanel.tsx';
import { OrganizationHome } from './members/OrganizationHome.tsx';
import type { NodeKind, Tab } from './paths.ts';
import { ReportsPanel } from './reports/ReportsPanel.tsx';

interface WorkspaceProps {
  readonly tab: Tab | 'global-settings';
  readonly node: { readonly kind: NodeKind; readonly id: string } | null;
  readonly isMaster: boolean;
}

export function Workspace({ tab, node, isMaster }: WorkspaceProps) {
  const t = useT();
  if (tab === 'global-settings') return isMaster ? <GlobalSettingsPanel /> : <p>{t('errors.forbidden')}</p>;
  if (tab === 'reports') return <ReportsPanel key={node?.id ?? 'all'} isMaster={isMaster} groupId={node?.kind === 'group' ? node.id : null} />;
  if (!node) return <OrganizationHome />;
  if (node.kind === 'member') return <MemberPanel key={node.id} id={node.id} isMaster={isMaster} />;
  if (node.kind === 'group') {
    return tab === 'settings' ? <GroupSettingsPanel key={node.id} id={node.id} isMaster={isMaster} /> : <GroupOverview key={node.id} id={node.id} />;
  }
  return <p className="hint">{t('admin.workspace.administratorGroup')}</p>;
}
