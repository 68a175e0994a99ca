/**
 * What each method is called where people read it. Every message that names a method uses these, so
 * a member reads "authenticator app" or "text message", never the API's id. Push has no entry in the
 * registry yet, but settings and messages already name it.
 */
import type { MethodId } from '../core/model.ts';

export const METHOD_DISPLAY_NAMES: Readonly<Record<MethodId, string>> = {
  push: 'authenticator app notification',
  totp: 'authenticator app',
  sms: 'text message',
  email: 'email',
};

/** The human name of `id`, e.g. "text message" for `sms`. */
export function methodDisplayName(id: MethodId): string {
  return METHOD_DISPLAY_NAMES[id];
}

