/** Forgot your password: an email, then the same answer whatever it is (the server never says more). */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { PrimaryButton, submitOnce } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { TextInput } from '../../components/TextInput.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { signInPaths } from '../sign-in/paths.ts';

export default function ForgotPasswordPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const send = useMutation({
    mutationFn: (address: string) => unwrap(api.POST('/api/v1/password-resets', { body: { email: address } })).then(() => address),
  });
  const error = send.error ? errorMessage(send.error) : null;
  return (
    <section className="card">
      <PageHeading>{t('password.forgotTitle')}</PageHeading>
      <p>{t('password.forgotIntro')}</p>
      <Notice message={send.data ? t('password.linkSent', { email: send.data }) : null} />
      <ErrorAlert message={error ? t(error.id, error.values) : null} />
      <Form className="form" onSubmit={submitOnce(send.isPending, () => send.mutate(email))}>
        <TextInput label={t('signIn.email')} name="email" type="email" autoComplete="username" inputMode="email" isRequired value={email} onChange={setEmail} />
        <PrimaryButton isPending={send.isPending}>{t('password.sendLink')}</PrimaryButton>
      </Form>
      <p className="after-form"><Link className="link" href={signInPaths.signIn}>{t('common.goToSignIn')}</Link></p>
    </section>
  );
}
