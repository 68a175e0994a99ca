/**
 * A member's Organization tab, as the reference product lays it out: Name, Email, Description, New
 * password (with the organization's minimum strength), Status Enabled, Move to Technician Group,
 * role and licences, saved with Save changes; their two-step verification (required, methods) with
 * Force two-step verification reset and a one-time setup code; their locks with Unlock; Delete.
 */
import { useId, useState } from 'react';
import { Label, TextArea, TextField } from 'react-aria-components';
import { ErrorAlert, Notice } from '../../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../../components/Buttons.tsx';
import { TextInput } from '../../../components/TextInput.tsx';
import { useErrorText, useT } from '../../../i18n/I18n.tsx';
import { useMe } from '../../account/queries.ts';
import { destinationOf } from '../../sign-in/destination.ts';
import { CheckField, ConfirmDialog, PanelHeading } from '../components.tsx';
import { useForceReset, useGroupChoice, useIssueSetupCode, useMember, useUpdateMember, type Member, type MemberChanges } from '../queries.ts';
import { GroupPicker, type PickedGroup } from '../tree/GroupPicker.tsx';
import { DeleteMember } from './DeleteMember.tsx';
import { MemberLocks } from './MemberLocks.tsx';

type Role = NonNullable<Member['role']> | 'technician';

export function MemberPanel({ id, isMaster }: { id: string; isMaster: boolean }) {
  const errorText = useErrorText();
  const member = useMember(id);
  // Kept here: a save refetches the member and draws the form afresh, and the notice must outlive that.
  const [notice, setNotice] = useState<string | null>(null);
  if (!member.data) return <ErrorAlert message={errorText(member.error)} />;
  return (
    <div className="member-panel">
      <MemberForm key={member.dataUpdatedAt} member={member.data} isMaster={isMaster} notice={notice} setNotice={setNotice} />
      <TwoStepSection member={member.data} setNotice={setNotice} />
      <MemberLocks member={member.data} />
      <DeleteMember member={member.data} />
    </div>
  );
}

interface MemberFormProps {
  readonly member: Member;
  readonly isMaster: boolean;
  readonly notice: string | null;
  readonly setNotice: (notice: string | null) => void;
}

function MemberForm({ member, isMaster, notice, setNotice }: MemberFormProps) {
  const t = useT();
  const errorText = useErrorText();
  const me = useMe();
  const current = useGroupChoice(member.technicianGroupId);
  const update = useUpdateMember(member.id);
  const [name, setName] = useState(member.name);
  const [email, setEmail] = useState(member.email);
  const [description, setDescription] = useState(member.description);
  const [password, setPassword] = useState('');
  const [enabled, setEnabled] = useState(member.enabled);
  // Undefined until another group (or none) is chosen: the member's own group, whose name is read by id.
  const [chosenGroup, setChosenGroup] = useState<PickedGroup | null | undefined>(undefined);
  const group = chosenGroup === undefined ? current : chosenGroup;
  const groupId = group?.id ?? '';
  const [role, setRole] = useState<Role>(member.role ?? 'technician');
  const roleSelect = useId();
  const minimumStrength = me.data?.password.minimumStrength;
  /**
   * A field the server refused is marked invalid, which also stops the form's native submit: any
   * edit clears the server's answer so the corrected form can be saved.
   */
  const edit = <V,>(set: (value: V) => void) => (value: V) => {
    if (update.error) update.reset();
    set(value);
  };

  const fieldError = (field: string): string | undefined => {
    const problem = update.error as { problem?: { code?: string; errors?: ReadonlyArray<{ field?: string }> } } | null;
    if (field === 'password' && problem?.problem?.code === 'password_too_weak') return errorText(update.error) ?? undefined;
    return problem?.problem?.errors?.some((error) => error.field === `body/${field}`) ? t('admin.member.invalid') : undefined;
  };
  const saveChanges = () => {
    const changes: MemberChanges = {};
    if (name !== member.name) changes.name = name;
    if (email !== member.email) changes.email = email;
    if (description !== member.description) changes.description = description;
    if (password !== '') changes.password = password;
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
  // The licences follow the role and the group as they stand in the form: a technician group is the
  // technician licence, a role the administrator licence.
  const licences = [
    ...(role !== 'technician' ? [t('adminMembers.licence.administrator')] : []),
    ...(groupId !== '' ? [t('adminMembers.licence.technician')] : []),
  ];
  const formError = update.error && !fieldError('password') ? errorText(update.error) : null;

  return (
    <form className="form admin-form" onSubmit={submitOnce(update.isPending, saveChanges)}>
      <PanelHeading>{member.name}</PanelHeading>
      <TextInput label={t('admin.member.name')} value={name} onChange={edit(setName)} isRequired error={fieldError('name')} />
      <TextInput label={t('admin.member.email')} type="email" value={email} onChange={edit(setEmail)} isRequired error={fieldError('email')} />
      <TextField className="field" value={description} onChange={edit(setDescription)} isInvalid={fieldError('description') !== undefined}>
        <Label className="field-label">{t('adminMembers.description')}</Label>
        <TextArea className="field-input" rows={2} />
      </TextField>
      <TextInput
        label={t('adminMembers.newPassword')}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={edit(setPassword)}
        hint={minimumStrength ? t('adminMembers.passwordHint', { minimumStrength }) : t('adminMembers.passwordHintUnknown')}
        error={fieldError('password')}
      />
      <fieldset className="fieldset">
        <legend className="field-label">{t('adminMembers.status')}</legend>
        <CheckField isSelected={enabled} onChange={edit(setEnabled)}>{t('admin.member.enabled')}</CheckField>
      </fieldset>
      <GroupPicker
        label={t('admin.member.moveTo')}
        value={group}
        onChange={edit(setChosenGroup)}
        noneLabel={t('admin.member.noGroup')}
        error={fieldError('technicianGroupId')}
      />
      <div className="field">
        <label className="field-label" htmlFor={roleSelect}>{t('admin.member.role')}</label>
        <select id={roleSelect} className="field-input" value={role} disabled={!isMaster} onChange={(event) => edit(setRole)(event.target.value as Role)}>
          <option value="technician">{t('admin.role.technician')}</option>
          <option value="administrator">{t('admin.role.administrator')}</option>
          <option value="master_administrator">{t('admin.role.masterAdministrator')}</option>
        </select>
      </div>
      <p className="licences">
        <span className="field-label">{t('adminMembers.licences')}</span>{' '}
        {licences.length > 0 ? licences.join(', ') : t('adminMembers.licence.none')}
      </p>
      <ErrorAlert message={formError} />
      <Notice message={notice} />
      <div className="actions">
        <PrimaryButton isPending={update.isPending}>{t('admin.member.save')}</PrimaryButton>
      </div>
    </form>
  );
}

function TwoStepSection({ member, setNotice }: { member: Member; setNotice: (notice: string | null) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const reset = useForceReset();
  const setupCode = useIssueSetupCode(member.id);
  const [confirmReset, setConfirmReset] = useState(false);
  const twoStep = member.twoStepVerification;
  return (
    <section aria-labelledby="member-two-step-title">
      <h3 id="member-two-step-title">{t('admin.member.twoStepTitle')}</h3>
      <p>{t(twoStep.required ? 'admin.member.required' : 'admin.member.notRequired')}</p>
      <p>{t(twoStep.setUp ? 'admin.member.setUp' : 'admin.member.notSetUp')}</p>
      <ul className="plain-list">
        {twoStep.factors.map((factor) => (
          <li key={factor.id}>{t('admin.member.factor', { method: t(`common.method.${factor.type}`), destination: destinationOf(factor.label) })}</li>
        ))}
      </ul>
      <ErrorAlert message={errorText(reset.error ?? setupCode.error)} />
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
    </section>
  );
}
