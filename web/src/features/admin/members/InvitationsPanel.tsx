/**
 * Invitations: the members who have not chosen a password yet, with when their invitation was sent,
 * until when it works and whether it is pending, expired or withdrawn; Send again (the older link
 * stops working) and Withdraw (after a confirmation). Read a keyset page at a time.
 */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema.d.ts';
import { ErrorAlert, Notice } from '../../../components/Alert.tsx';
import { SecondaryButton } from '../../../components/Buttons.tsx';
import { useErrorText, useT } from '../../../i18n/I18n.tsx';
import { ConfirmDialog } from '../components.tsx';

type Invited = paths['/api/v1/invitations']['get']['responses'][200]['content']['application/json']['items'][number];
const key = ['admin', 'invitations'] as const;

export function InvitationsPanel() {
  const t = useT();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState<Invited | null>(null);
  const list = useInfiniteQuery({
    queryKey: key,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/invitations', { params: { query: { limit: '100', ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => { void client.invalidateQueries({ queryKey: key }); };
  const resend = useMutation({
    mutationFn: (member: Invited) => unwrap(api.POST('/api/v1/members/{id}/invitation', { params: { path: { id: member.memberId } } })),
    onSuccess: (result, member) => {
      setNotice(t(result.sent ? 'adminMembers.invitations.resent' : 'adminMembers.invitations.notSent', { name: member.name }));
      refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: (member: Invited) => unwrap(api.DELETE('/api/v1/members/{id}/invitation', { params: { path: { id: member.memberId } } })),
    onSuccess: (_, member) => {
      setNotice(t('adminMembers.invitations.withdrawn', { name: member.name }));
      refresh();
    },
  });
  const members = list.data?.pages.flatMap((page) => page.items) ?? [];
  const busy = resend.isPending || withdraw.isPending;
  const when = (value: string | null) => (value ? t('adminReports.when', { when: new Date(value) }) : '—');

  return (
    <section aria-labelledby="invitations-title">
      <h2 id="invitations-title" className="panel-heading">{t('adminMembers.invitations.title')}</h2>
      <p className="hint">{t('adminMembers.invitations.explain')}</p>
      <ErrorAlert message={errorText(list.error ?? resend.error ?? withdraw.error)} />
      <Notice message={notice} />
      {!list.data ? <p>{t('common.loading')}</p> : members.length === 0 ? <p>{t('adminMembers.invitations.none')}</p> : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('adminMembers.invitations.title')}>
          <table className="report invitations-table">
            <thead>
              <tr>
                <th scope="col">{t('adminReports.column.name')}</th>
                <th scope="col">{t('adminReports.column.email')}</th>
                <th scope="col">{t('adminMembers.invitations.sent')}</th>
                <th scope="col">{t('adminMembers.invitations.expires')}</th>
                <th scope="col">{t('adminMembers.invitations.state')}</th>
                <th scope="col"><span className="visually-hidden">{t('adminMembers.invitations.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.memberId}>
                  <th scope="row">{member.name}</th>
                  <td>{member.email}</td>
                  <td>{when(member.sentAt)}</td>
                  <td>{when(member.expiresAt)}</td>
                  <td>{t(`adminMembers.invitations.state.${member.state}`)}</td>
                  <td>
                    <div className="row-actions">
                    <SecondaryButton isDisabled={busy} aria-label={t('adminMembers.invitations.resendFor', { name: member.name })}
                      onPress={() => { setNotice(null); withdraw.reset(); resend.mutate(member); }}>
                      {t('adminMembers.invitations.resend')}
                    </SecondaryButton>
                    {member.state === 'pending' ? (
                      <SecondaryButton isDisabled={busy} aria-label={t('adminMembers.invitations.withdrawFor', { name: member.name })}
                        onPress={() => { setNotice(null); resend.reset(); setWithdrawing(member); }}>
                        {t('adminMembers.invitations.withdraw')}
                      </SecondaryButton>
                    ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage ? (
        <div className="actions">
          <SecondaryButton isDisabled={list.isFetchingNextPage} onPress={() => void list.fetchNextPage()}>{t('adminReports.audit.more')}</SecondaryButton>
        </div>
      ) : null}
      <ConfirmDialog
        isOpen={withdrawing !== null}
        title={t('adminMembers.invitations.withdrawTitle', { name: withdrawing?.name ?? '' })}
        confirmLabel={t('adminMembers.invitations.withdraw')}
        cancelLabel={t('admin.cancel')}
        onCancel={() => setWithdrawing(null)}
        onConfirm={() => {
          const member = withdrawing;
          setWithdrawing(null);
          if (member) withdraw.mutate(member);
        }}
      >
        <p>{t('adminMembers.invitations.withdrawWarning', { name: withdrawing?.name ?? '', email: withdrawing?.email ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
