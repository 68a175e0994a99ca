/**
 * Message ids typed from the English source files: a key missing from English is a type error where
 * it is used, and test/web/translations.test.ts makes every other language carry the same keys.
 */
import type account from '../locales/en/account.json';
import type admin from '../locales/en/admin.json';
import type authenticator from '../locales/en/authenticator.json';
import type common from '../locales/en/common.json';
import type errors from '../locales/en/errors.json';
import type password from '../locales/en/password.json';
import type protect from '../locales/en/protect.json';
import type push from '../locales/en/push.json';
import type signIn from '../locales/en/signIn.json';
import type { Feature, Language } from './languages.ts';

type Ids<F extends string, M> = `${F}.${Extract<keyof M, string>}`;
export type MessageId =
  | Ids<'common', typeof common>
  | Ids<'signIn', typeof signIn>
  | Ids<'protect', typeof protect>
  | Ids<'password', typeof password>
  | Ids<'account', typeof account>
  | Ids<'admin', typeof admin>
  | Ids<'errors', typeof errors>
  | Ids<'authenticator', typeof authenticator>
  | Ids<'push', typeof push>;

export type Messages = Record<MessageId, string>;

type Loader = () => Promise<{ default: Record<string, string> }>;
const files = import.meta.glob<{ default: Record<string, string> }>('../locales/*/*.json') as Record<string, Loader>;

/** A language's messages, loaded on demand: a member downloads only their own language. */
export async function loadMessages(language: Language): Promise<Messages> {
  const entries = await Promise.all(
    Object.entries(files)
      .filter(([path]) => path.startsWith(`../locales/${language}/`))
      .map(async ([path, load]) => {
        const feature = path.slice(path.lastIndexOf('/') + 1, -'.json'.length) as Feature;
        const { default: messages } = await load();
        return Object.entries(messages).map(([key, text]) => [`${feature}.${key}`, text] as const);
      }),
  );
  return Object.fromEntries(entries.flat()) as Messages;
}
