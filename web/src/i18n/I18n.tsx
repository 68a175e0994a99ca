/**
 * The member's language: the one chosen with the selector (remembered in this browser), else the
 * browser's first language the site speaks, else English. It sets `<html lang>`, loads that
 * language's messages, and gives React Aria the same locale for its own labels and formats.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nProvider } from 'react-aria-components';
import { IntlProvider, useIntl } from 'react-intl';
import { ApiProblem } from '../api/problem.ts';
import { errorMessage } from './errors.ts';
import { LANGUAGES, pickLanguage, type Language } from './languages.ts';
import { loadMessages, type MessageId, type Messages } from './messages.ts';

const STORAGE_KEY = 'twofold.language';

interface LanguageState {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
}
const LanguageContext = createContext<LanguageState | null>(null);

function initialLanguage(): Language {
  let chosen: string | null = null;
  try {
    chosen = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage may be switched off; the browser's language still applies.
  }
  return pickLanguage(chosen, navigator.languages ?? [navigator.language]);
}

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [loaded, setLoaded] = useState<{ language: Language; messages: Messages } | null>(null);

  useEffect(() => {
    let current = true;
    void loadMessages(language).then((messages) => {
      if (current) setLoaded({ language, messages });
    });
    document.documentElement.lang = language;
    return () => {
      current = false;
    };
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, still applied.
    }
    setLanguageState(next);
  }, []);

  const state = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);
  // Until the first language arrives there is nothing to say: a blank page for a few milliseconds.
  if (!loaded) return null;
  return (
    <LanguageContext.Provider value={state}>
      <IntlProvider locale={loaded.language} defaultLocale="en" messages={loaded.messages}>
        <I18nProvider locale={loaded.language}>{children}</I18nProvider>
      </IntlProvider>
    </LanguageContext.Provider>
  );
}

export function useLanguage(): LanguageState {
  const state = useContext(LanguageContext);
  if (!state) throw new Error('useLanguage outside LanguageProvider');
  return state;
}

export type Translate = (id: MessageId, values?: Record<string, string | number | Date>) => string;

/** `t(id, values)`: a message of the member's language, ids typed from the English source. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback<Translate>((id, values) => intl.formatMessage({ id }, values), [intl]);
}

/**
 * The message for any error: `errors.<code>` with its values, and for a wrong code in a sign-in the
 * attempts left; null for no error.
 */
export function useErrorText(): (error: unknown) => string | null {
  const t = useT();
  return useCallback((error: unknown) => {
    if (!error) return null;
    const { id, values } = errorMessage(error);
    const attempts = error instanceof ApiProblem && typeof error.problem.attemptsRemaining === 'number' ? error.problem.attemptsRemaining : null;
    return attempts === null ? t(id, values) : `${t(id, values)} ${t('signIn.attemptsLeft', { count: attempts })}`;
  }, [t]);
}

export { LANGUAGES };
