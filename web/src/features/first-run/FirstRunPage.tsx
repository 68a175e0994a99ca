/**
 * The first run: a fresh deployment's first organization and its Master Account Holder, created with
 * the one-time setup token of the link the server printed at start (`POST /api/v1/setup`), then on to
 * the sign-in page. The password's rule is the one the server applies, shown beside the field.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-aria-components';
import { api, unwrap } from '../../api/client.ts';
import { ApiProblem } from '../../api/problem.ts';
import { navigate } from '../../app/router.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { TextInput } from '../../components/TextInput.tsx';
import { useLanguage, useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { NewPasswordForm } from '../password/NewPasswordForm.tsx';
import { signInPaths } from '../sign-in/paths.ts';
import { takeSetupTokenFromLink } from './setupToken.ts';

export default function FirstRunPage() {
  const t = useT();
  const { language } = useLanguage();
  const [fromLink] = useState(takeSetupTokenFromLink);
  const [setupToken, setSetupToken] = useState(fromLink);
  const [organizationName, setOrganizationName] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const status = useQuery({ queryKey: ['setup'], queryFn: () => unwrap(api.GET('/api/v1/setup')) });
  const create = useMutation({
    mutationFn: (password: string) => unwrap(api.POST('/api/v1/setup', {
      // The language on screen becomes the Master Account Holder's, for the site and their emails.
      body: { organizationName, name, email, password, setupToken, language },
    })),
    onSuccess: () => navigate(`${signInPaths.signIn}?done=first-run`),
  });

  const code = create.error instanceof ApiProblem ? create.error.code : null;
  const fieldError = (codes: readonly string[]) => {
    if (code === null || !codes.includes(code)) return undefined;
    const message = errorMessage(create.error);
    return t(message.id, message.values);
  };
  const passwordError = fieldError(['password_too_weak', 'password_reused']);
  const emailError = fieldError(['email_taken']);
  const tokenError = fieldError(['invalid_setup_token']);
  const pageError = create.error && !passwordError && !emailError && !tokenError ? errorMessage(create.error) : null;
  // The token's field is shown when the link did not carry one, or carried one the server refused.
  const askToken = fromLink === '' || tokenError !== undefined || setupToken !== fromLink;

  if (status.data && !status.data.required) {
    return (
      <section className="card">
        <PageHeading>{t('firstRun.doneTitle')}</PageHeading>
        <Notice message={t('firstRun.alreadyDone')} />
        <Link className="button primary" href={signInPaths.signIn}>{t('signIn.title')}</Link>
      </section>
    );
  }
  if (!status.data) return <ErrorAlert message={status.error ? t(errorMessage(status.error).id) : null} />;
  return (
    <section className="card">
      <PageHeading>{t('firstRun.title')}</PageHeading>
      <p>{t('firstRun.intro')}</p>
      {askToken ? <p>{t('firstRun.noToken')}</p> : null}
      <ErrorAlert message={pageError ? t(pageError.id, pageError.values) : null} />
      <NewPasswordForm
        minimumStrength={status.data.minimumStrength}
        before={(
          <>
            {askToken ? (
              <TextInput
                label={t('firstRun.setupToken')} hint={t('firstRun.setupTokenHint')} name="setup-token" autoComplete="off" spellCheck={false}
                isRequired value={setupToken} onChange={(value) => { setSetupToken(value); if (tokenError) create.reset(); }} error={tokenError}
              />
            ) : null}
            <TextInput label={t('firstRun.organizationName')} name="organization" autoComplete="organization" isRequired maxLength={200} value={organizationName} onChange={setOrganizationName} />
            <TextInput label={t('firstRun.name')} hint={t('firstRun.nameHint')} name="name" autoComplete="name" isRequired maxLength={200} value={name} onChange={setName} />
            <TextInput label={t('firstRun.email')} name="email" type="email" inputMode="email" autoComplete="username" isRequired value={email} onChange={(value) => { setEmail(value); if (emailError) create.reset(); }} error={emailError} />
          </>
        )}
        submitLabel={t('firstRun.create')}
        pending={create.isPending}
        serverError={passwordError}
        onSubmit={(password) => create.mutate(password)}
        onEdit={() => { if (create.error) create.reset(); }}
      />
    </section>
  );
}
