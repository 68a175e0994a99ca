/**
 * Sign in: email and password. Members who need nothing more go straight to their account; the
 * others continue with the security code or with Protect your account.
 */
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
import { passwordPaths } from '../password/paths.ts';
import { useContinueWith } from './transaction.ts';

export default function SignInPage() {
  const t = useT();
  const continueWith = useContinueWith();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/sign-in', { body: { email, password, client: { kind: 'website' } } })),
    onSuccess: continueWith,
  });
  const done = new URLSearchParams(location.search).get('done');
  const passwordChanged = done === 'password';
  const error = signIn.error ? errorMessage(signIn.error) : null;

  return (
    <section className="card" aria-labelledby="sign-in-heading">
      <div id="sign-in-heading"><PageHeading>{t('signIn.title')}</PageHeading></div>
      <p>{t('signIn.intro')}</p>
      <Notice message={signIn.isSuccess ? null : passwordChanged ? t('password.passwordChanged') : done === 'everywhere' ? t('sessions.done') : done === 'first-run' ? t('firstRun.created') : null} />
      <ErrorAlert message={error ? t(error.id, error.values) : null} />
      <Form
        className="form"
        onSubmit={submitOnce(signIn.isPending, () => signIn.mutate())}
      >
        <TextInput label={t('signIn.email')} name="email" type="email" autoComplete="username" isRequired value={email} onChange={setEmail} inputMode="email" />
        <TextInput label={t('signIn.password')} name="password" type="password" autoComplete="current-password" isRequired value={password} onChange={setPassword} />
        <PrimaryButton isPending={signIn.isPending}>{t('signIn.submit')}</PrimaryButton>
      </Form>
      <p className="after-form"><Link className="link" href={passwordPaths.forgotPassword}>{t('password.forgotLink')}</Link></p>
    </section>
  );
}
