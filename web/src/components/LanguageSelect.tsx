/**
 * The language selector: the browser's own `<select>`, each language named in itself with its `lang`
 * so screen readers say it right. A native control is fully keyboard- and screen-reader-ready on every
 * platform and costs the sign-in page no script, where a custom listbox popover would cost it dozens
 * of kilobytes on every page.
 */
import { useId } from 'react';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from '../i18n/languages.ts';
import { useLanguage, useT } from '../i18n/I18n.tsx';

export function LanguageSelect() {
  const t = useT();
  const id = useId();
  const { language, setLanguage } = useLanguage();
  return (
    <div className="language-select">
      <label className="language-label" htmlFor={id}>{t('common.language')}</label>
      <select
        id={id}
        className="select-native"
        value={language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) setLanguage(event.target.value);
        }}
      >
        {LANGUAGES.map((code) => <option key={code} value={code} lang={code}>{LANGUAGE_NAMES[code]}</option>)}
      </select>
    </div>
  );
}
