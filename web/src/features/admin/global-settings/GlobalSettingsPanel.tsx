/**
 * Global Settings → Two-step verification: who must use it (master administrators, administrators,
 * technicians: none, all, or Members of selected Technician Group(s)), the primary method and the
 * allowed ones. The preview's figures follow every change; Save Changes asks first when the primary
 * method changes, because that resets two-step verification for everyone. The password policy is
 * below, saved by the same Save Changes.
 */
import { useEffect, useState } from 'react';
import { CheckboxGroup, Label, Radio, RadioGroup } from 'react-aria-components';
import { ErrorAlert, Notice } from '../../../components/Alert.tsx';
import { PrimaryButton, submitOnce } from '../../../components/Buttons.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import { errorMessage } from '../../../i18n/errors.ts';
import { CheckField, ConfirmDialog, PanelHeading } from '../components.tsx';
import { PushDigitsSetting } from '../../push/PushDigitsSetting.tsx';
import { useSaveSettings, useSettingsPreview, useTwoStepSettings, type TwoStepSettings } from '../queries.ts';
import { PasswordPolicySection, samePolicy, usePasswordPolicy, useSavePasswordPolicy, type PasswordPolicy } from './PasswordPolicySection.tsx';

type MethodId = TwoStepSettings['primaryMethod'];

export function GlobalSettingsPanel() {
  const t = useT();
  const saved = useTwoStepSettings();
  const [draft, setDraft] = useState<TwoStepSettings | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSaveSettings();
  const savedPolicy = usePasswordPolicy();
  const [policyDraft, setPolicyDraft] = useState<PasswordPolicy | null>(null);
  const savePolicy = useSavePasswordPolicy();
  useEffect(() => {
    if (saved.data && draft === null) {
      const { methods: _notes, ...settings } = saved.data;
      setDraft(settings);
    }
  }, [saved.data, draft]);
  useEffect(() => {
    if (savedPolicy.data && policyDraft === null) setPolicyDraft(savedPolicy.data);
  }, [savedPolicy.data, policyDraft]);
  const preview = useSettingsPreview(draft);

  if (!saved.data || !draft || !savedPolicy.data || !policyDraft) {
    const failed = saved.error ?? savedPolicy.error;
    const message = failed ? errorMessage(failed) : null;
    return <ErrorAlert message={message ? t(message.id, message.values) : null} />;
  }
  const policyChanged = !samePolicy(policyDraft, savedPolicy.data);
  const available = saved.data.methods;
  // The methods offered are the API's own list (in its order): a new method shows up here by itself.
  const METHODS = Object.keys(available) as MethodId[];
  const primaryChanges = draft.primaryMethod !== saved.data.primaryMethod;
  const change = (changes: Partial<TwoStepSettings>) => {
    setNotice(null);
    save.reset();
    setDraft({ ...draft, ...changes });
  };
  const changePolicy = (changes: Partial<PasswordPolicy>) => {
    setNotice(null);
    savePolicy.reset();
    setPolicyDraft({ ...policyDraft, ...changes });
  };
  // The policy first: if it is refused, nothing is saved and the two-step settings stay as drafted.
  const doSave = () => {
    setConfirming(false);
    const saveTwoStep = () => save.mutate(draft, {
      onSuccess: (result) => {
        setDraft(null);
        setPolicyDraft(null);
        setNotice(t('admin.global.saved', { reset: result.membersReset }));
      },
    });
    if (policyChanged) savePolicy.mutate(policyDraft, { onSuccess: saveTwoStep });
    else saveTwoStep();
  };
  const pending = save.isPending || savePolicy.isPending;
  const figures = preview.data;
  const failure = savePolicy.error ?? save.error ?? preview.error;
  const failureMessage = failure ? errorMessage(failure) : null;

  return (
    <>
    <form className="form admin-form" onSubmit={submitOnce(pending, () => (primaryChanges ? setConfirming(true) : doSave()))}>
      <PanelHeading>{t('admin.global.title')}</PanelHeading>
      <fieldset className="fieldset">
        <legend className="field-label">{t('admin.global.members')}</legend>
        <CheckField isSelected={draft.masterAdministrators} onChange={(masterAdministrators) => change({ masterAdministrators })}>
          {t('admin.global.masterAdministrators')}
        </CheckField>
        <CheckField isSelected={draft.administrators} onChange={(administrators) => change({ administrators })}>
          {t('admin.global.administrators')}
        </CheckField>
        <RadioGroup className="radio-group" value={draft.technicians} onChange={(value) => change({ technicians: value as TwoStepSettings['technicians'] })}>
          <Label className="field-label">{t('admin.global.technicians')}</Label>
          <Radio className="radio" value="none">{t('admin.global.techniciansNone')}</Radio>
          <Radio className="radio" value="all">{t('admin.global.techniciansAll')}</Radio>
          <Radio className="radio" value="selected_groups">{t('admin.global.techniciansSelected')}</Radio>
        </RadioGroup>
      </fieldset>
      <RadioGroup className="radio-group" value={draft.primaryMethod} onChange={(value) => {
        const primaryMethod = value as MethodId;
        change({ primaryMethod, allowedMethods: draft.allowedMethods.includes(primaryMethod) ? draft.allowedMethods : [...draft.allowedMethods, primaryMethod] });
      }}>
        <Label className="field-label">{t('admin.global.primaryMethod')}</Label>
        {METHODS.map((method) => (
          <Radio key={method} className="radio" value={method} isDisabled={!available[method].available}>
            <span className="radio-text">
              {t(`common.method.${method}`)}
              {available[method].strength !== 'strong' ? <span className="method-note">{t(`admin.global.strength.${available[method].strength}`)}</span> : null}
              {!available[method].available ? <span className="method-note">{t('admin.global.notAvailable')}</span> : null}
            </span>
          </Radio>
        ))}
      </RadioGroup>
      <CheckboxGroup className="radio-group" value={draft.allowedMethods} onChange={(values) => change({ allowedMethods: values as MethodId[] })}>
        <Label className="field-label">{t('admin.global.allowedMethods')}</Label>
        {METHODS.map((method) => (
          <CheckField key={method} value={method} isDisabled={!available[method].available || method === draft.primaryMethod}>
            {t(`common.method.${method}`)}
          </CheckField>
        ))}
      </CheckboxGroup>
      <section className="preview" aria-labelledby="two-step-preview-title">
        <h3 id="two-step-preview-title">{t('admin.global.previewTitle')}</h3>
        <div role="status">
          {figures ? (
            <>
              <p>{t('admin.global.previewRequired', { count: figures.membersRequired })}</p>
              <p>{t('admin.global.previewToSetUp', { count: figures.membersToSetUp })}</p>
              {primaryChanges ? <p className="warning-text">{t('admin.global.previewReset', { count: figures.membersReset })}</p> : null}
              {figures.saverAffected ? <p className="warning-text">{t('admin.global.previewSaverAffected')}</p> : null}
            </>
          ) : <p>{t('common.loading')}</p>}
        </div>
      </section>
      <PasswordPolicySection policy={policyDraft} onChange={changePolicy} />
      <ErrorAlert message={failureMessage ? t(failureMessage.id, failureMessage.values) : null} />
      <Notice message={notice} />
      <div className="actions">
        <PrimaryButton isPending={pending}>{t('admin.global.save')}</PrimaryButton>
      </div>
      <ConfirmDialog
        isOpen={confirming}
        title={t('admin.global.resetTitle')}
        confirmLabel={t('admin.global.resetConfirm')}
        cancelLabel={t('admin.cancel')}
        onConfirm={doSave}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('admin.global.resetWarning', { count: figures?.membersReset ?? 0, method: t(`common.method.${draft.primaryMethod}`) })}</p>
      </ConfirmDialog>
    </form>
    {available.push?.available ? <PushDigitsSetting /> : null}
    </>
  );
}
