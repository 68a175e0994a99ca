/**
 * What a member reads when their Technician Console cannot use a method: consoles 7.50.3572 and
 * earlier cannot use email verification, so a member whose only method is email cannot sign in there
 * (`console_email_only`). Said plainly, with what to do. The console opens this page with its
 * `?version=`; the account page links here for members in that case. The version rule is the
 * server's own (src/core/consoleVersion.ts), so the page never disagrees with the sign-in.
 */
import { Link } from 'react-aria-components';
import { LAST_LEGACY_CONSOLE_VERSION, isLegacyConsole } from '../../../../src/core/consoleVersion.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { signInPaths } from '../sign-in/paths.ts';

export default function ConsoleVersionPage() {
  const t = useT();
  const version = new URLSearchParams(location.search).get('version');
  const known = version !== null && version.length <= 64 ? version : null;
  const legacy = known === null ? null : isLegacyConsole({ kind: 'technician-console', version: known });
  return (
    <section className="card wide">
      <PageHeading>{t('console.title')}</PageHeading>
      <p>{t('console.body', { lastVersion: LAST_LEGACY_CONSOLE_VERSION })}</p>
      {known !== null ? <p><strong>{t(legacy ? 'console.yourVersionOld' : 'console.yourVersionNew', { version: known })}</strong></p> : null}
      <h2>{t('console.whatToDo')}</h2>
      <ol className="console-steps">
        <li>{t('console.update', { lastVersion: LAST_LEGACY_CONSOLE_VERSION })}</li>
        <li>{t('console.addMethod')}</li>
        <li>{t('console.askAdmin')}</li>
      </ol>
      <Link className="button primary" href={signInPaths.signIn}>{t('console.signIn')}</Link>
    </section>
  );
}
