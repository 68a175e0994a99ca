/** A sign-in that ended (five wrong codes, or over ten minutes): say so plainly and offer a new one. */
import { Link } from 'react-aria-components';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { signInPaths } from './paths.ts';
import { rememberTransaction } from './transaction.ts';

export function ClosedTransaction({ reason }: { reason: 'failed' | 'expired' }) {
  const t = useT();
  return (
    <section className="card">
      <PageHeading>{t(reason === 'failed' ? 'signIn.failedTitle' : 'signIn.expiredTitle')}</PageHeading>
      <p>{t(reason === 'failed' ? 'signIn.failedBody' : 'signIn.expiredBody')}</p>
      <Link className="button primary" href={signInPaths.signIn} onPress={() => rememberTransaction(null)}>
        {t('signIn.startAgain')}
      </Link>
    </section>
  );
}

/** Whether a transaction's problem closes it for good: the client package's rule. */
export { closedReason } from '@twofold/client';
