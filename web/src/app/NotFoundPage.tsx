import { Link } from 'react-aria-components';
import { PageHeading } from '../components/PageHeading.tsx';
import { useT } from '../i18n/I18n.tsx';
import { signInPaths } from '../features/sign-in/paths.ts';

export function NotFoundPage() {
  const t = useT();
  return (
    <>
      <PageHeading>{t('common.notFoundTitle')}</PageHeading>
      <p>{t('common.notFoundBody')}</p>
      <Link className="link" href={signInPaths.signIn}>{t('common.goToSignIn')}</Link>
    </>
  );
}
