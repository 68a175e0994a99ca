/**
 * The seven languages of the website, English the source. Each language has one JSON file per
 * feature under web/src/locales/<language>/; a message's id is `<feature>.<key>`.
 */
export const LANGUAGES = ['en', 'fr', 'it', 'de', 'es', 'pt', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];
export const SOURCE_LANGUAGE: Language = 'en';

/** Each language named in itself, as the language selector lists it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English', fr: 'Français', it: 'Italiano', de: 'Deutsch', es: 'Español', pt: 'Português', nl: 'Nederlands',
};

export const FEATURES = ['common', 'signIn', 'protect', 'password', 'account', 'admin', 'adminReports', 'adminMembers', 'adminTree', 'errors', 'strength', 'setupProof', 'console', 'sessions', 'firstRun', 'authenticator', 'push'] as const;
export type Feature = (typeof FEATURES)[number];

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/**
 * The first of the browser's languages that the site speaks (`fr-CA` → `fr`), else English.
 * A choice made with the selector wins.
 */
export function pickLanguage(chosen: string | null, browser: readonly string[]): Language {
  if (isLanguage(chosen)) return chosen;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return SOURCE_LANGUAGE;
}
