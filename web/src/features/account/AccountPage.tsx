/** The member's account: who is signed in, their two-step verification and methods, and sign out. */
import { useEffect } from 'react';
import { Link } from 'react-aria-components';
import { navigate } from '../../app/router.ts';
import { ErrorAlert } from '../../components/Alert.tsx';
import { SecondaryButton } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { isProblem } from '../../api/problem.ts';
import { ConsoleEmailNote } from '../console/ConsoleEmailNote.tsx';
import { signInPaths } from '../sign-in/paths.ts';
import { ChangePassword } from './ChangePassword.tsx';
import { ManageTwoStep } from './ManageTwoStep.tsx';
import { accountPaths } from './paths.ts';
import { SignOutEverywhere } from './SignOutEverywhere.tsx';
import { useMe, useSignOut } from './queries.ts';

export default function AccountPage() {
  const t = useT();
  const me = useMe();
  const signOut = useSignOut();
  useEffect(() => {
    if (isProblem(me.error, 'unauthenticated')) navigate(signInPaths.signIn, { replace: true });
  }, [me.error]);

  if (!me.data) {
    const message = me.error && !isProblem(me.error, 'unauthenticated') ? errorMessage(me.error) : null;
    return <ErrorAlert message={message ? t(message.id, message.values) : null} />;
  }
  const member = me.data;
  const twoStep = member.twoStepVerification;
  return (
    <section className="card wide">
      <PageHeading>{t('account.title')}</PageHeading>
      <p>{t('account.signedInAs', { name: member.name, email: member.email })}</p>
      <p>{t('account.organization', { name: member.organization.name })}</p>
      <h2>{t('account.twoStepTitle')}</h2>
      {twoStep.required && !twoStep.setUp ? (
        <div className="alert notice">
          <p>{t('setupProof.accountRequired')}</p>
          <Link className="button primary" href={accountPaths.twoStepSetup}>{t('setupProof.accountSetUp')}</Link>
        </div>
      ) : <p>{t(twoStep.setUp ? 'account.twoStepOn' : 'account.twoStepOff')}</p>}
      <ConsoleEmailNote factors={twoStep.factors} />
      {twoStep.setUp ? <ManageTwoStep memberId={member.id} factors={twoStep.factors} allowedMethods={member.allowedMethods} /> : null}
      <ChangePassword changedBefore={new URLSearchParams(location.search).get('done') === 'password'} minimumStrength={member.password.minimumStrength} />
      <SignOutEverywhere />
      <ErrorAlert message={signOut.error ? t(errorMessage(signOut.error).id, errorMessage(signOut.error).values) : null} />
      <div className="sign-out">
        <SecondaryButton
          isDisabled={signOut.isPending}
          onPress={() => signOut.mutate(undefined, { onSuccess: () => navigate(signInPaths.signIn) })}
        >
          {t('common.signOut')}
        </SecondaryButton>
      </div>
    </section>
  );
}
