/**
 * A technician group's Organization tab: its name, its subgroups and the technicians loaded so far.
 * The group is read by id and its subgroups a keyset page at a time, never the whole list of groups.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { ErrorAlert } from '../../../components/Alert.tsx';
import { SecondaryButton } from '../../../components/Buttons.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import { errorMessage } from '../../../i18n/errors.ts';
import { PanelHeading } from '../components.tsx';
import { nodePath } from '../paths.ts';
import { useGroupMembers, useTechnicianGroup } from '../queries.ts';
import { loadChildGroups } from '../tree/treeApi.ts';

export function GroupOverview({ id }: { id: string }) {
  const t = useT();
  const group = useTechnicianGroup(id);
  const members = useGroupMembers(id, true);
  const subgroups = useInfiniteQuery({
    queryKey: ['admin', 'group-subgroups', id],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => loadChildGroups(id, pageParam, signal),
    getNextPageParam: (last) => last.nextCursor,
  });
  if (!group.data) {
    const message = group.error ? errorMessage(group.error) : null;
    return <ErrorAlert message={message ? t(message.id, message.values) : null} />;
  }
  const shown = subgroups.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div>
      <PanelHeading>{group.data.name}</PanelHeading>
      <p>{t(group.data.enforceTwoStepVerification ? 'admin.group.enforced' : 'admin.group.notEnforced')}</p>
      <h3>{t('admin.group.subgroups', { count: shown.length })}</h3>
      <ul className="plain-list">
        {shown.map((subgroup) => <li key={subgroup.id}><Link href={nodePath('group', subgroup.id)}>{subgroup.name}</Link></li>)}
      </ul>
      {subgroups.hasNextPage ? (
        <SecondaryButton isDisabled={subgroups.isFetchingNextPage} onPress={() => void subgroups.fetchNextPage()}>{t('admin.group.moreSubgroups')}</SecondaryButton>
      ) : null}
      <h3>{t('admin.group.technicians', { count: members.data?.items.length ?? 0 })}</h3>
      <ul className="plain-list">
        {(members.data?.items ?? []).map((member) => (
          <li key={member.id}><Link href={nodePath('member', member.id)}>{member.name}</Link> — {member.email}</li>
        ))}
      </ul>
    </div>
  );
}
