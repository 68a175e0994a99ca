/**
 * The second-factor methods Twofold knows, in one list: their ids, what people call them, whether they
 * are built, and whether legacy Technician Consoles can use them. Every other list of methods (the
 * API's enums, the order factors are offered in, the methods that can be set up, the names in
 * messages) is derived from this one, so adding a method is one entry here and one implementation in
 * the method registry (`methods/registry.ts`), whose type requires an implementation for every entry
 * marked built. Pure data: no I/O.
 */

export interface MethodDescription<Id extends string = string> {
  /** The id the API uses. */
  readonly id: Id;
  /** What people read: messages never show the id. */
  readonly displayName: string;
  /** False while the method is listed in settings but cannot be set up or used yet. */
  readonly built: boolean;
  /** Consoles 7.50.3572 and earlier know this method (they have no email). */
  readonly onLegacyConsoles: boolean;
}

/**
 * In the fixed order factors are offered in after the primary method; also the whole order on legacy
 * consoles: the authenticator app notification first, then any other authenticator app, then text
 * messages.
 */
export const METHOD_CATALOGUE = [
  { id: 'push', displayName: 'authenticator app notification', built: true, onLegacyConsoles: true },
  { id: 'totp', displayName: 'authenticator app', built: true, onLegacyConsoles: true },
  { id: 'sms', displayName: 'text message', built: true, onLegacyConsoles: true },
  { id: 'email', displayName: 'email', built: true, onLegacyConsoles: false },
] as const satisfies readonly MethodDescription[];

type Catalogue = typeof METHOD_CATALOGUE;

/** The second-factor methods, by the ids the API uses. */
export type MethodId = Catalogue[number]['id'];

/** The methods that are built, so the registry must implement them. */
export type BuiltMethodId = Extract<Catalogue[number], { built: true }>['id'];

/** Every method id, in {@link METHOD_CATALOGUE} order. */
export const METHOD_IDS: readonly MethodId[] = METHOD_CATALOGUE.map((m) => m.id);

/** The methods that can be set up and used today, in {@link METHOD_CATALOGUE} order. */
export const BUILT_METHOD_IDS: readonly BuiltMethodId[] = METHOD_CATALOGUE
  .filter((m): m is Extract<Catalogue[number], { built: true }> => m.built).map((m) => m.id);

/** The catalogue entry of `id`. */
export function describeMethod(id: MethodId): MethodDescription<MethodId> {
  const found = METHOD_CATALOGUE.find((m) => m.id === id);
  if (!found) throw new Error(`No method ${id} in the catalogue.`);
  return found;
}

/** Whether `id` names a method that is built (the registry has an implementation for it). */
export function isBuiltMethod(id: string): id is BuiltMethodId {
  return (BUILT_METHOD_IDS as readonly string[]).includes(id);
}
