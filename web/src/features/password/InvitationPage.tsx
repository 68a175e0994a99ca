/**
 * The invitation link from the email: the invited member chooses a password, and when they must use
 * two-step verification goes on to Protect your account in the same sign-in (the password counts
 * only once that is activated).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { api, unwrap } from '../../api/client.ts';
import { ApiProblem } from '../../api/problem.ts';
import type { PageProps } from '../../app/route.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useLanguage, useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { signInPaths } from '../sign-in/paths.ts';
import { useContinueWith } from '../sign-in/transaction.ts';
import { LinkProblem } from './LinkProblem.tsx';
import { NewPasswordForm } from './NewPasswordForm.tsx';

export default function InvitationPage({ params }: PageProps) {
  const t = useT();
  const token = params.token ?? '';
  const continueWith = useContinueWith();
  // The language on screen (the selector's choice, else the browser's) becomes the member's.
  const { language } = useLanguage();
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => unwrap(api.GET('/api/v1/invitations/{token}', { params: { path: { token } } })),
  });
  const accept = useMutation({
    mutationFn: (password: string) => unwrap(api.POST('/api/v1/invitations/{token}/accept', {
      params: { path: { token } }, body: { password, client: { kind: 'website' }, language },
    })),
    onSuccess: (transaction) => {
      // 204: the password is set; 202: a set-up transaction to go on with.
      if (transaction) continueWith(transaction);
    },
  });

  if (invitation.error) return <LinkProblem error={invitation.error} />;
  if (!invitation.data) return null;
  const { name, email, organizationName, minimumStrength, twoStepVerificationRequired } = invitation.data;
  const fieldError = accept.error instanceof ApiProblem && accept.error.code.startsWith('password_') ? errorMessage(accept.error) : null;
  const pageError = accept.error && !fieldError ? errorMessage(accept.error) : null;
  const done = accept.isSuccess && !accept.data;
  return (
    <section className="card">
      <PageHeading>{t('password.inviteTitle')}</PageHeading>
      <p>{t('password.inviteIntro', { name, organizationName, email })}</p>
      {twoStepVerificationRequired ? <p>{t('password.inviteTwoStep')}</p> : null}
      <Notice message={done ? t('password.inviteDone') : null} />
      <ErrorAlert message={pageError ? t(pageError.id, pageError.values) : null} />
      {done ? (
        <Link className="button primary" href={signInPaths.signIn}>{t('signIn.title')}</Link>
      ) : (
        <NewPasswordForm
          minimumStrength={minimumStrength}
          submitLabel={t('password.setPassword')}
          pending={accept.isPending}
          serverError={fieldError ? t(fieldError.id, fieldError.values) : undefined}
          onSubmit={(password) => accept.mutate(password)}
        />
      )}
    </section>
  );
}
