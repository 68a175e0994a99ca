/**
 * A new password typed twice, with the organization's rule beside it as a live strength meter that
 * runs the server's own check. The server still decides (its `password_too_weak` shows on the field);
 * the page checks only that both are the same.
 */
import { useState, type ReactNode } from 'react';
import { Form } from 'react-aria-components';
import { PrimaryButton, submitOnce } from '../../components/Buttons.tsx';
import { TextInput } from '../../components/TextInput.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { StrengthMeter, type MinimumStrength } from './StrengthMeter.tsx';

export interface NewPasswordFormProps {
  /** The organization's minimum strength: the meter measures the password against it. */
  readonly minimumStrength: MinimumStrength;
  /** Fields before the new password (the current one) and after it (an option). */
  readonly before?: ReactNode;
  readonly after?: ReactNode;
  readonly submitLabel: string;
  readonly pending: boolean;
  /** The server's word on the password, shown on the field. */
  readonly serverError: string | undefined;
  readonly onSubmit: (password: string) => void;
  /** The password was typed into again: the server's word on the last one no longer applies (an invalid field would block the next submit). */
  readonly onEdit?: () => void;
}

export function NewPasswordForm({ minimumStrength, before, after, submitLabel, pending, serverError, onSubmit, onEdit }: NewPasswordFormProps) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [checked, setChecked] = useState(false);
  // The server's word is about the password it was sent: once that is edited it no longer applies,
  // and an invalid field would hold the form's next submission back.
  const [sent, setSent] = useState<string | null>(null);
  const mismatch = checked && password !== again ? t('password.mismatch') : undefined;
  return (
    <Form
      className="form"
      onSubmit={submitOnce(pending, () => {
        setChecked(true);
        if (password !== again) return;
        setSent(password);
        onSubmit(password);
      })}
    >
      {before}
      <TextInput
        label={t('password.newPassword')}
        name="new-password" type="password" autoComplete="new-password" isRequired value={password} onChange={(value) => { setPassword(value); onEdit?.(); }}
        error={password === sent ? serverError : undefined}
      />
      <StrengthMeter password={password} minimumStrength={minimumStrength} />
      <TextInput label={t('password.confirmPassword')} name="confirm-password" type="password" autoComplete="new-password" isRequired value={again} onChange={setAgain} error={mismatch} />
      {after}
      <PrimaryButton isPending={pending}>{submitLabel}</PrimaryButton>
    </Form>
  );
}
