/**
 * A member's Organization tab: Name, Email, Enabled, Move to Technician Group and role, saved with
 * Save changes; their two-step verification (required, methods, locks and when they end) with Force
 * two-step verification reset and a one-time setup code.
 */
import { useId, useState } from 'react';
import { ErrorAlert, Notice } from '../../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../../components/Buttons.tsx';
import { TextInput } from '../../../components/TextInput.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import { errorMessage } from '../../../i18n/errors.ts';
import { destinationOf } from '../../sign-in/destination.ts';
import { CheckField, ConfirmDialog, PanelHeading } from '../components.tsx';
import { useForceReset, useIssueSetupCode, useMember, useTechnicianGroups, useUpdateMember, type Member, type MemberChanges } from '../queries.ts';

type Role = NonNullable<Member['role']> | 'technician';

export function MemberPanel({ id, isMaster }: { id: string; isMaster: boolean }) {
  const t = useT();
  const member = useMember(id);
  // Kept here: a save refetches the member and draws the form afresh, and the notice must outlive that.
  const [notice, setNotice] = useState<string | null>(null);
  if (!member.data) {
    const message = member.error ? errorMessage(member.error) : null;
    return <ErrorAlert message={message ? t(message.id, message.values) : null} />;
  }
  return <MemberForm key={member.dataUpdatedAt} member={member.data} isMaster={isMaster} notice={notice} setNotice={setNotice} />;
}

interface MemberFormProps {
  readonly member: Member;
  readonly isMaster: boolean;
  readonly notice: string | null;
  readonly setNotice: (notice: string | null) => void;
}

function MemberForm({ member, isMaster, notice, setNotice }: MemberFormProps) {
  const t = useT();
  const groups = useTechnicianGroups();
  const update = useUpdateMember(member.id);
  const reset = useForceReset();
  const setupCode = useIssueSetupCode(member.id);
  const [name, setName] = useState(member.name);
  const [email, setEmail] = useState(member.email);
  const [enabled, setEnabled] = useState(member.enabled);
  const [groupId, setGroupId] = useState(member.technicianGroupId ?? '');
  const [role, setRole] = useState<Role>(member.role ?? 'technician');
  const [confirmReset, setConfirmReset] = useState(false);
  const groupSelect = useId();
  const roleSelect = useId();

  const fieldError = (field: string): string | undefined => {
    const problem = update.error as { problem?: { errors?: ReadonlyArray<{ field?: string }> } } | null;
    return problem?.problem?.errors?.some((error) => error.field === `body/${field}`) ? t('admin.member.invalid') : undefined;
  };
  const saveChanges = () => {
    const changes: MemberChanges = {};
    if (name !== member.name) changes.name = name;
    if (email !== member.email) changes.email = email;
    if (enabled !== member.enabled) changes.enabled = enabled;
    if (groupId !== (member.technicianGroupId ?? '')) changes.technicianGroupId = groupId === '' ? null : groupId;
    const newRole = role === 'technician' ? null : role;
    if (newRole !== member.role) changes.role = newRole;
    if (Object.keys(changes).length === 0) {
      setNotice(t('admin.member.nothingChanged'));
      return;
    }
    setNotice(null);
    update.mutate(changes, { onSuccess: () => setNotice(t('admin.member.saved')) });
  };
  const twoStep = member.twoStepVerification;
  const failure = update.error ?? reset.error ?? setupCode.error;
  const failureMessage = failure ? errorMessage(failure) : null;

  return (
    <div>
      <form className="form admin-form" onSubmit={submitOnce(update.isPending, saveChanges)}>
        <PanelHeading>{member.name}</PanelHeading>
        <TextInput label={t('admin.member.name')} value={name} onChange={setName} isRequired error={fieldError('name')} />
        <TextInput label={t('admin.member.email')} type="email" value={email} onChange={setEmail} isRequired error={fieldError('email')} />
        <CheckField isSelected={enabled} onChange={setEnabled}>{t('admin.member.enabled')}</CheckField>
        <div className="field">
          <label className="field-label" htmlFor={groupSelect}>{t('admin.member.moveTo')}</label>
          <select id={groupSelect} className="field-input" value={groupId} onChange={(event) => setGroupId(event.target.value)}>
            <option value="">{t('admin.member.noGroup')}</option>
            {(groups.data ?? []).map((group) => <option key={group.id} value={group.id}>{group.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={roleSelect}>{t('admin.member.role')}</label>
          <select id={roleSelect} className="field-input" value={role} disabled={!isMaster} onChange={(event) => setRole(event.target.value as Role)}>
            <option value="technician">{t('admin.role.technician')}</option>
            <option value="administrator">{t('admin.role.administrator')}</option>
            <option value="master_administrator">{t('admin.role.masterAdministrator')}</option>
          </select>
        </div>
        <div className="actions">
          <PrimaryButton isPending={update.isPending}>{t('admin.member.save')}</PrimaryButton>
        </div>
      </form>

      <h3>{t('admin.member.twoStepTitle')}</h3>
      <p>{t(twoStep.required ? 'admin.member.required' : 'admin.member.notRequired')}</p>
      <p>{t(twoStep.setUp ? 'admin.member.setUp' : 'admin.member.notSetUp')}</p>
      <ul className="plain-list">
        {twoStep.factors.map((factor) => (
          <li key={factor.id}>
            {t('admin.member.factor', { method: t(`common.method.${factor.type}`), destination: destinationOf(factor.label) })}
            {factor.locked ? ` — ${factor.lockedUntil ? t('admin.member.lockedUntil', { when: new Date(factor.lockedUntil) }) : t('admin.member.lockedUntilReset')}` : ''}
          </li>
        ))}
      </ul>
      <ErrorAlert message={failureMessage ? t(failureMessage.id, failureMessage.values) : null} />
      <Notice message={notice} />
      {setupCode.data ? <p className="setup-code">{t('admin.member.setupCode', { code: setupCode.data.setupCode, when: new Date(setupCode.data.expiresAt) })}</p> : null}
      <div className="actions">
        <SecondaryButton isDisabled={reset.isPending} onPress={() => setConfirmReset(true)}>{t('admin.member.forceReset')}</SecondaryButton>
        <SecondaryButton isDisabled={setupCode.isPending} onPress={() => setupCode.mutate()}>{t('admin.member.issueSetupCode')}</SecondaryButton>
      </div>
      <ConfirmDialog
        isOpen={confirmReset}
        title={t('admin.member.forceReset')}
        confirmLabel={t('admin.member.forceResetConfirm')}
        cancelLabel={t('admin.cancel')}
        onCancel={() => setConfirmReset(false)}
        onConfirm={() => {
          setConfirmReset(false);
          reset.mutate([member.id], { onSuccess: () => setNotice(t('admin.member.resetDone', { name: member.name })) });
        }}
      >
        <p>{t('admin.member.forceResetWarning', { name: member.name })}</p>
      </ConfirmDialog>
    </div>
  );
}
