/**
 * Set-up from a session. A member signed in with the password alone, whom the organization now asks
 * to use two-step verification, finds every request but their own record refused with
 * `two_step_setup_required` (a master administrator whose saved settings now cover them, say). The
 * app leads them here from any such refusal: the password again opens the same set-up a sign-in
 * would, and Activate's session replaces the held one.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Form } from 'react-aria-components';
import { api, unwrap } from '../../api/client.ts';
import { isProblem } from '../../api/problem.ts';
import { navigate } from '../../app/router.ts';
import { ErrorAlert } from '../../components/Alert.tsx';
import { PrimaryButton, submitOnce } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { TextInput } from '../../components/TextInput.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { signInPaths } from '../sign-in/paths.ts';
import { useContinueWith } from '../sign-in/transaction.ts';
import { useMe } from './queries.ts';

export default function SetUpFromSessionPage() {
  const t = useT();
  const errorText = useErrorText();
  const me = useMe();
  const [password, setPassword] = useState('');
  const continueWith = useContinueWith();
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/two-step-setup', { body: { password } })),
    onSuccess: continueWith,
    onError: () => setPassword(''),
  });
  useEffect(() => {
    if (isProblem(me.error, 'unauthenticated')) navigate(signInPaths.signIn, { replace: true });
  }, [me.error]);

  if (!me.data) return <ErrorAlert message={isProblem(me.error, 'unauthenticated') ? null : errorText(me.error)} />;
  return (
    <section className="card">
      <PageHeading>{t('setupProof.sessionTitle')}</PageHeading>
      <p>{t('setupProof.sessionIntro')}</p>
      <ErrorAlert message={errorText(start.error)} />
      <Form className="form" onSubmit={submitOnce(start.isPending, () => start.mutate())}>
        {/* The member's email, for password managers, which pair a password with its account. */}
        <input type="email" name="username" autoComplete="username" value={me.data.email} readOnly hidden />
        <TextInput label={t('signIn.password')} name="password" type="password" autoComplete="current-password" isRequired value={password} onChange={setPassword} />
        <PrimaryButton isPending={start.isPending}>{t('setupProof.sessionStart')}</PrimaryButton>
      </Form>
    </section>
  );
}
