/**
 * Message ids typed from the English source files: a key missing from English is a type error where
 * it is used, and test/web/translations.test.ts makes every other language carry the same keys.
 */
import type account from '../locales/en/account.json';
import type admin from '../locales/en/admin.json';
import type adminMembers from '../locales/en/adminMembers.json';
import type adminReports from '../locales/en/adminReports.json';
import type adminTree from '../locales/en/adminTree.json';
import type authenticator from '../locales/en/authenticator.json';
import type common from '../locales/en/common.json';
import type consoleVersion from '../locales/en/console.json';
import type errors from '../locales/en/errors.json';
import type firstRun from '../locales/en/firstRun.json';
import type password from '../locales/en/password.json';
import type protect from '../locales/en/protect.json';
import type setupProof from '../locales/en/setupProof.json';
import type sessions from '../locales/en/sessions.json';
import type push from '../locales/en/push.json';
import type signIn from '../locales/en/signIn.json';
import type strength from '../locales/en/strength.json';
import type { Feature, Language } from './languages.ts';

type Ids<F extends string, M> = `${F}.${Extract<keyof M, string>}`;
export type MessageId =
  | Ids<'common', typeof common>
  | Ids<'signIn', typeof signIn>
  | Ids<'protect', typeof protect>
  | Ids<'password', typeof password>
  | Ids<'account', typeof account>
  | Ids<'admin', typeof admin>
  | Ids<'adminReports', typeof adminReports>
  | Ids<'adminMembers', typeof adminMembers>
  | Ids<'adminTree', typeof adminTree>
  | Ids<'errors', typeof errors>
  | Ids<'strength', typeof strength>
  | Ids<'setupProof', typeof setupProof>
  | Ids<'console', typeof consoleVersion>
  | Ids<'sessions', typeof sessions>
  | Ids<'firstRun', typeof firstRun>
  | Ids<'authenticator', typeof authenticator>
  | Ids<'push', typeof push>;

export type Messages = Record<MessageId, string>;

/** A language's files by path (`../../locales/<language>/<feature>.json`), each bundle one chunk of the build. */
type Bundle = Record<string, Record<string, string>>;
const BUNDLES: Record<Language, () => Promise<{ default: Bundle }>> = {
  en: () => import('./bundles/messages-en.ts'),
  fr: () => import('./bundles/messages-fr.ts'),
  it: () => import('./bundles/messages-it.ts'),
  de: () => import('./bundles/messages-de.ts'),
  es: () => import('./bundles/messages-es.ts'),
  pt: () => import('./bundles/messages-pt.ts'),
  nl: () => import('./bundles/messages-nl.ts'),
};

/**
 * A language's messages, loaded on demand in one request: a member downloads only their own
 * language, and another only when they switch to it. No English fallback is needed: every language
 * has every key (test/web/translations.test.ts).
 */
export async function loadMessages(language: Language): Promise<Messages> {
  const { default: files } = await BUNDLES[language]();
  return Object.fromEntries(Object.entries(files).flatMap(([path, messages]) => {
    const feature = path.slice(path.lastIndexOf('/') + 1, -'.json'.length) as Feature;
    return Object.entries(messages).map(([key, text]) => [`${feature}.${key}`, text] as const);
  })) as Messages;
}
