/** The frame of every page: the product's name, the language selector, and the page in `<main>`. */
import type { ReactNode } from 'react';
import { useT } from '../i18n/I18n.tsx';
import { LanguageSelect } from './LanguageSelect.tsx';
import { AdminCenterLink } from '../features/admin/AdminCenterLink.tsx';

export function Shell({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="shell">
      <header className="shell-header">
        <span className="brand">{t('common.appName')}</span>
        <AdminCenterLink />
        <LanguageSelect />
      </header>
      <main className="shell-main">{children}</main>
    </div>
  );
}
