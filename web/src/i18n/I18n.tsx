/**
 * The member's language: the one chosen with the selector (remembered in this browser), else the
 * browser's first language the site speaks, else English. It sets `<html lang>`, loads that
 * language's messages, and gives React Aria the same locale for its own labels and formats.
 *
 * Once a member is signed in, their record decides: the language saved on it (`GET /api/v1/me`)
 * replaces the browser's, and a choice made with the selector is saved to it
 * (`PUT /api/v1/me/language`), so the emails and text messages sent to them are in it too. A member
 * who never chose one keeps following each browser's language: nothing is saved for them unasked.
 * A choice made in this tab before anyone was signed in (on the sign-in page, or while setting up
 * two-step verification after an invitation) is the member's latest word: it is saved once they are
 * signed in, instead of the record's language taking the page back.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { I18nProvider } from 'react-aria-components';
import { IntlProvider, useIntl } from 'react-intl';
import { api } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import { errorMessage } from './errors.ts';
import { LANGUAGES, isLanguage, pickLanguage, type Language } from './languages.ts';
import { loadMessages, type MessageId, type Messages } from './messages.ts';

const STORAGE_KEY = 'twofold.language';
/** The query key of `GET /api/v1/me` (features/account/queries.ts `meKey`), whose answer carries the member's language. */
const ME_KEY = ['me'] as const;
interface SignedInMember {
  readonly language: string | null;
}

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

/** Kept for the tab (a reload before signing in keeps it): the member who signs in next made it. */
const UNSAVED_KEY = 'twofold.language.unsaved';

function unsavedChoice(): Language | null {
  try {
    const chosen = sessionStorage.getItem(UNSAVED_KEY);
    return isLanguage(chosen) ? chosen : null;
  } catch {
    return null;
  }
}

function keepUnsavedChoice(language: Language | null): void {
  try {
    if (language === null) sessionStorage.removeItem(UNSAVED_KEY);
    else sessionStorage.setItem(UNSAVED_KEY, language);
  } catch {
    // Then this page alone remembers it.
  }
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

  const shown = useRef(language);
  const show = useCallback((next: Language) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, still applied.
    }
    shown.current = next;
    setLanguageState(next);
  }, []);

  const queryClient = useQueryClient();
  /** A choice made with the selector while nobody was signed in, in this tab: saved at sign-in. */
  const [unsavedAtStart] = useState(unsavedChoice);
  const unsaved = useRef<Language | null>(unsavedAtStart);
  /**
   * The language being saved on the member's record, until the save answers. A read of the record
   * begun before it answered may still carry the language it replaces, and must not take it back.
   */
  const saving = useRef<Language | null>(null);
  /** Saves `next` on the signed-in member's record, if a member is signed in; best effort. */
  const save = useCallback((next: Language) => {
    const me = queryClient.getQueryData<SignedInMember>(ME_KEY);
    if (!me) {
      unsaved.current = next;
      keepUnsavedChoice(next);
      return;
    }
    if (me.language === next) return;
    // A read of the member under way would answer with the language being replaced: it is dropped.
    void queryClient.cancelQueries({ queryKey: ME_KEY });
    queryClient.setQueryData<SignedInMember>(ME_KEY, { ...me, language: next });
    saving.current = next;
    // A save that fails leaves the choice on this page and in this browser; the next choice tries again.
    void api.PUT('/api/v1/me/language', { body: { language: next } }).catch(() => undefined).finally(() => {
      if (saving.current === next) saving.current = null;
    });
  }, [queryClient]);

  // The signed-in member, whenever the API cache learns of them (after sign-in, on the account page).
  useEffect(() => queryClient.getQueryCache().subscribe((event) => {
    if (event.query.queryKey[0] !== ME_KEY[0]) return;
    const me = event.query.state.data as SignedInMember | undefined;
    if (!me) return;
    const chosen = unsaved.current;
    if (chosen !== null) {
      unsaved.current = null;
      keepUnsavedChoice(null);
      // Outside the cache's notification: saving writes to the same cache entry.
      queueMicrotask(() => save(chosen));
      return;
    }
    const pending = saving.current;
    if (pending !== null) {
      // Read before the choice was saved: the choice stands, on the page and in the cache.
      if (me.language !== pending) {
        queueMicrotask(() => queryClient.setQueryData<SignedInMember>(ME_KEY, (current) => current && { ...current, language: pending }));
      }
      return;
    }
    if (isLanguage(me.language) && me.language !== shown.current) show(me.language);
  }), [queryClient, show, save]);

  const setLanguage = useCallback((next: Language) => {
    show(next);
    save(next);
  }, [show, save]);

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
