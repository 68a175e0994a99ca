/**
 * A new password typed twice, with the organization's rule beside it. The server decides (its
 * `password_too_weak` shows on the field); the page checks only that both are the same.
 */
import { useState, type ReactNode } from 'react';
import { Form } from 'react-aria-components';
import { PrimaryButton, submitOnce } from '../../components/Buttons.tsx';
import { TextInput } from '../../components/TextInput.tsx';
import { useT } from '../../i18n/I18n.tsx';

export interface NewPasswordFormProps {
  /** The organization's level when the page knows it; the hint is left out otherwise. */
  readonly minimumStrength?: string;
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
  const mismatch = checked && password !== again ? t('password.mismatch') : undefined;
  return (
    <Form
      className="form"
      onSubmit={submitOnce(pending, () => {
        setChecked(true);
        if (password === again) onSubmit(password);
      })}
    >
      {before}
      <TextInput
        label={t('password.newPassword')}
        {...(minimumStrength ? { hint: t('password.strengthHint', { minimumStrength }) } : {})}
        name="new-password" type="password" autoComplete="new-password" isRequired value={password} onChange={(value) => { setPassword(value); onEdit?.(); }}
        error={serverError}
      />
      <TextInput label={t('password.confirmPassword')} name="confirm-password" type="password" autoComplete="new-password" isRequired value={again} onChange={setAgain} error={mismatch} />
      {after}
      <PrimaryButton isPending={pending}>{submitLabel}</PrimaryButton>
    </Form>
  );
}
