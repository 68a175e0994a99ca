/** An emailed link that cannot be used (unknown, used, replaced or expired): said plainly, with a way on. */
import { Link } from 'react-aria-components';
import { ErrorAlert } from '../../components/Alert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { signInPaths } from '../sign-in/paths.ts';

export function LinkProblem({ error }: { error: unknown }) {
  const t = useT();
  const message = errorMessage(error);
  return (
    <section className="card">
      <PageHeading>{t('password.invalidLinkTitle')}</PageHeading>
      <ErrorAlert message={t(message.id, message.values)} />
      <Link className="link" href={signInPaths.signIn}>{t('common.goToSignIn')}</Link>
    </section>
  );
}
