/**
 * Delete a member for good, after a confirmation that names them: their sessions end at once and
 * their methods go; the audit trail keeps their name. The Workspace then goes back to the tree.
 */
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { navigate } from '../../../app/router.ts';
import { ErrorAlert } from '../../../components/Alert.tsx';
import { useErrorText, useT } from '../../../i18n/I18n.tsx';
import { ConfirmDialog } from '../components.tsx';
import { adminPaths } from '../paths.ts';
import type { Member } from '../queries.ts';
import { useDeleteMember } from './memberQueries.ts';

export function DeleteMember({ member }: { member: Member }) {
  const t = useT();
  const errorText = useErrorText();
  const remove = useDeleteMember(member.id);
  const [asking, setAsking] = useState(false);
  return (
    <section aria-labelledby="member-delete-title" className="danger-zone">
      <h3 id="member-delete-title">{t('adminMembers.delete.title')}</h3>
      <p className="hint">{t('adminMembers.delete.explain')}</p>
      <ErrorAlert message={errorText(remove.error)} />
      <div className="actions">
        <Button className="button danger" isDisabled={remove.isPending} onPress={() => setAsking(true)}>{t('adminMembers.delete.button')}</Button>
      </div>
      <ConfirmDialog
        isOpen={asking}
        title={t('adminMembers.delete.confirmTitle', { name: member.name })}
        confirmLabel={t('adminMembers.delete.confirm')}
        cancelLabel={t('admin.cancel')}
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          remove.mutate(undefined, { onSuccess: () => navigate(adminPaths.home) });
        }}
      >
        <p>{t('adminMembers.delete.warning', { name: member.name, email: member.email })}</p>
      </ConfirmDialog>
    </section>
  );
}
