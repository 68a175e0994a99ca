/**
 * The password reset link from the email: a new password, set at once, or, for a member who uses
 * two-step verification, only once confirmed with a factor on the security code page.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { api, unwrap } from '../../api/client.ts';
import { ApiProblem } from '../../api/problem.ts';
import type { PageProps } from '../../app/route.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { signInPaths } from '../sign-in/paths.ts';
import { useContinueWith } from '../sign-in/transaction.ts';
import { LinkProblem } from './LinkProblem.tsx';
import { NewPasswordForm } from './NewPasswordForm.tsx';

export default function PasswordResetPage({ params }: PageProps) {
  const t = useT();
  const token = params.token ?? '';
  const continueWith = useContinueWith();
  const reset = useQuery({
    queryKey: ['password-reset', token],
    queryFn: () => unwrap(api.GET('/api/v1/password-resets/{token}', { params: { path: { token } } })),
  });
  const complete = useMutation({
    mutationFn: (newPassword: string) => unwrap(api.POST('/api/v1/password-resets/{token}', {
      params: { path: { token } }, body: { newPassword, client: { kind: 'website' } },
    })),
    onSuccess: (transaction) => {
      if (transaction) continueWith(transaction);
    },
  });

  if (reset.error) return <LinkProblem error={reset.error} />;
  if (!reset.data) return null;
  const { email, organizationName, minimumStrength, twoStepVerificationRequired } = reset.data;
  const fieldError = complete.error instanceof ApiProblem && complete.error.code.startsWith('password_') ? errorMessage(complete.error) : null;
  const pageError = complete.error && !fieldError ? errorMessage(complete.error) : null;
  const done = complete.isSuccess && !complete.data;
  return (
    <section className="card">
      <PageHeading>{t('password.resetTitle')}</PageHeading>
      <p>{t('password.resetIntro', { email, organizationName })}</p>
      {twoStepVerificationRequired ? <p>{t('password.resetTwoStep')}</p> : null}
      <Notice message={done ? t('password.passwordChanged') : null} />
      <ErrorAlert message={pageError ? t(pageError.id, pageError.values) : null} />
      {done ? (
        <Link className="button primary" href={signInPaths.signIn}>{t('signIn.title')}</Link>
      ) : (
        <NewPasswordForm
          minimumStrength={minimumStrength}
          submitLabel={t('password.changePassword')}
          pending={complete.isPending}
          serverError={fieldError ? t(fieldError.id, fieldError.values) : undefined}
          onSubmit={(password) => complete.mutate(password)}
        />
      )}
    </section>
  );
}
