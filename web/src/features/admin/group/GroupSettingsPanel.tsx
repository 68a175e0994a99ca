/**
 * A technician group's Settings tab → Two-step verification: Enforce two-step verification, saved
 * for this group, for it and its subgroups, or for every group. The setting only counts while Global
 * Settings select "Members of selected Technician Group(s)"; the tab says so otherwise.
 */
import { useState } from 'react';
import { ErrorAlert, Notice } from '../../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../../components/Buttons.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import { errorMessage } from '../../../i18n/errors.ts';
import { CheckField, PanelHeading } from '../components.tsx';
import { useSaveEnforcementToAllGroups, useSaveGroupEnforcement, useTechnicianGroup, useTwoStepSettings } from '../queries.ts';

export function GroupSettingsPanel({ id, isMaster }: { id: string; isMaster: boolean }) {
  const t = useT();
  const read = useTechnicianGroup(id);
  const settings = useTwoStepSettings(isMaster);
  const group = read.data;
  const [enforce, setEnforce] = useState<boolean | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const saveOne = useSaveGroupEnforcement();
  const saveAll = useSaveEnforcementToAllGroups();
  if (!group) {
    const message = read.error ? errorMessage(read.error) : null;
    return <ErrorAlert message={message ? t(message.id, message.values) : null} />;
  }
  const value = enforce ?? group.enforceTwoStepVerification;
  const pending = saveOne.isPending || saveAll.isPending;
  const failure = saveOne.error ?? saveAll.error;
  const failureMessage = failure ? errorMessage(failure) : null;
  const done = (message: string) => () => {
    setEnforce(null);
    setNotice(message);
  };
  const save = (applyToSubgroups: boolean) => {
    setNotice(null);
    saveAll.reset();
    saveOne.mutate({ id, enforce: value, applyToSubgroups }, { onSuccess: done(t(applyToSubgroups ? 'admin.group.savedWithSubgroups' : 'admin.group.saved')) });
  };

  return (
    <form className="form admin-form" onSubmit={submitOnce(pending, () => save(false))}>
      <PanelHeading>{t('admin.group.settingsTitle', { name: group.name })}</PanelHeading>
      <h3>{t('admin.group.twoStepTitle')}</h3>
      {settings.data && settings.data.technicians !== 'selected_groups' ? (
        <p className="note">{t('admin.group.globalNote')}</p>
      ) : null}
      <CheckField isSelected={value} onChange={(next) => { setNotice(null); setEnforce(next); }}>
        {t('admin.group.enforce')}
      </CheckField>
      <ErrorAlert message={failureMessage ? t(failureMessage.id, failureMessage.values) : null} />
      <Notice message={notice} />
      <div className="actions">
        <PrimaryButton isPending={saveOne.isPending}>{t('admin.group.save')}</PrimaryButton>
        <SecondaryButton isDisabled={pending} onPress={() => save(true)}>{t('admin.group.saveSubgroups')}</SecondaryButton>
        <SecondaryButton
          isDisabled={pending}
          onPress={() => {
            setNotice(null);
            saveOne.reset();
            saveAll.mutate({ enforce: value }, { onSuccess: done(t('admin.group.savedAll')) });
          }}
        >
          {t('admin.group.saveAll')}
        </SecondaryButton>
      </div>
    </form>
  );
}
