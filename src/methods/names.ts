/**
 * What each method is called where people read it. Every message that names a method uses these, so
 * a member reads "authenticator app" or "text message", never the API's id. The names are those of the
 * method catalogue, listed there once.
 */
import { METHOD_CATALOGUE, describeMethod, type MethodId } from '../core/methodCatalogue.ts';

export const METHOD_DISPLAY_NAMES: Readonly<Record<MethodId, string>> = Object.fromEntries(
  METHOD_CATALOGUE.map((m) => [m.id, m.displayName]),
) as Record<MethodId, string>;

/** The human name of `id`, e.g. "text message" for `sms`. */
export function methodDisplayName(id: MethodId): string {
  return describeMethod(id).displayName;
}
