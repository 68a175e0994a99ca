/**
 * On the account page, for a member whose only usable method is email: older Technician Consoles
 * cannot use it, so they would be refused there. Says so before it happens, with the way out.
 */
import { Link } from 'react-aria-components';
import { LAST_LEGACY_CONSOLE_VERSION } from '../../../../src/core/consoleVersion.ts';
import { useT } from '../../i18n/I18n.tsx';
import { consolePaths } from './paths.ts';

export function ConsoleEmailNote({ factors }: { factors: ReadonlyArray<{ type: string; methodAllowed: boolean }> }) {
  const t = useT();
  const usable = factors.filter((factor) => factor.methodAllowed);
  if (usable.length === 0 || usable.some((factor) => factor.type !== 'email')) return null;
  return (
    <div className="alert notice">
      <p>{t('console.accountNote', { lastVersion: LAST_LEGACY_CONSOLE_VERSION })}</p>
      <Link className="link" href={consolePaths.consoleVersion}>{t('console.learnMore')}</Link>
    </div>
  );
}
