/** A technician group's Organization tab: its name, its subgroups and the technicians loaded so far. */
import { Link } from 'react-aria-components';
import { ErrorAlert } from '../../../components/Alert.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import { errorMessage } from '../../../i18n/errors.ts';
import { PanelHeading } from '../components.tsx';
import { nodePath } from '../paths.ts';
import { useGroupMembers, useTechnicianGroups } from '../queries.ts';

export function GroupOverview({ id }: { id: string }) {
  const t = useT();
  const groups = useTechnicianGroups();
  const members = useGroupMembers(id, true);
  const group = groups.data?.find((candidate) => candidate.id === id);
  if (!group) {
    const message = groups.error ? errorMessage(groups.error) : null;
    return <ErrorAlert message={message ? t(message.id, message.values) : null} />;
  }
  const subgroups = (groups.data ?? []).filter((candidate) => candidate.parentId === id);
  return (
    <div>
      <PanelHeading>{group.name}</PanelHeading>
      <p>{t(group.enforceTwoStep ? 'admin.group.enforced' : 'admin.group.notEnforced')}</p>
      <h3>{t('admin.group.subgroups', { count: subgroups.length })}</h3>
      <ul className="plain-list">
        {subgroups.map((subgroup) => <li key={subgroup.id}><Link href={nodePath('group', subgroup.id)}>{subgroup.name}</Link></li>)}
      </ul>
      <h3>{t('admin.group.technicians', { count: members.data?.items.length ?? 0 })}</h3>
      <ul className="plain-list">
        {(members.data?.items ?? []).map((member) => (
          <li key={member.id}><Link href={nodePath('member', member.id)}>{member.name}</Link> — {member.email}</li>
        ))}
      </ul>
    </div>
  );
}
