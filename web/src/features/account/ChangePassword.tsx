/**
 * Change password on the account page. With two-step verification the server answers a
 * `password_change` transaction: the member confirms it on the security code page and comes back here.
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import { api, unwrap } from '../../api/client.ts';
import { ApiProblem } from '../../api/problem.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { TextInput } from '../../components/TextInput.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { NewPasswordForm } from '../password/NewPasswordForm.tsx';
import type { MinimumStrength } from '../password/StrengthMeter.tsx';
import { useContinueWith } from '../sign-in/transaction.ts';
import { accountPaths } from './paths.ts';

export function ChangePassword({ changedBefore, minimumStrength }: { changedBefore: boolean; minimumStrength: MinimumStrength }) {
  const t = useT();
  const [currentPassword, setCurrentPassword] = useState('');
  const [endOtherSessions, setEndOtherSessions] = useState(false);
  // The current password the last answer was about: once edited, its error no longer holds the form back.
  const [sentCurrent, setSentCurrent] = useState<string | null>(null);
  const continueWith = useContinueWith(`${accountPaths.account}?done=password`);
  const change = useMutation({
    mutationFn: (newPassword: string) => unwrap(api.POST('/api/v1/me/password', { body: { currentPassword, newPassword, endOtherSessions } })),
    onSuccess: (transaction) => {
      if (transaction) continueWith(transaction);
    },
  });
  const problem = change.error instanceof ApiProblem ? change.error : null;
  const currentError = problem?.code === 'invalid_credentials' && currentPassword === sentCurrent ? errorMessage(problem) : null;
  const newError = problem?.code.startsWith('password_') ? errorMessage(problem) : null;
  const other = change.error && problem?.code !== 'invalid_credentials' && !newError ? errorMessage(change.error) : null;
  const done = changedBefore || (change.isSuccess && !change.data);
  return (
    <>
      <h2>{t('account.changePasswordTitle')}</h2>
      <Notice message={done ? t('account.passwordChanged') : null} />
      <ErrorAlert message={other ? t(other.id, other.values) : null} />
      <NewPasswordForm
        minimumStrength={minimumStrength}
        before={
          <TextInput
            label={t('account.currentPassword')} name="current-password" type="password" autoComplete="current-password" isRequired
            value={currentPassword} onChange={setCurrentPassword} error={currentError ? t(currentError.id, currentError.values) : undefined}
          />
        }
        after={
          <Checkbox className="checkbox" isSelected={endOtherSessions} onChange={setEndOtherSessions}>
            <span className="checkbox-box" aria-hidden="true">{endOtherSessions ? '✓' : ''}</span>
            {t('account.endOtherSessions')}
          </Checkbox>
        }
        submitLabel={t('account.changePasswordTitle')}
        pending={change.isPending}
        serverError={newError ? t(newError.id, newError.values) : undefined}
        onSubmit={(password) => {
          setSentCurrent(currentPassword);
          change.mutate(password);
        }}
      />
    </>
  );
}
