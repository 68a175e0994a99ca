/**
 * Which factors a client is offered at verification, and which methods it may set up, in which order
 * (docs/design.md "What a client is offered, in which order"). Pure: the console version rule of
 * docs/product-behaviour.md "Technician Console versions" lives here and nowhere else.
 */
import { isLegacyConsole } from './consoleVersion.ts';
import { BUILT_METHOD_IDS, METHOD_IDS, describeMethod } from './methodCatalogue.ts';
import type { ClientInfo, FactorSummary, MethodId, TwoStepSettings } from './model.ts';

/** The method settings these rules read. */
export type MethodSettings = Pick<TwoStepSettings, 'primaryMethod' | 'allowedMethods'>;

/**
 * Methods that can be set up today: those the method catalogue marks built. Push (authenticator app
 * notification) is not built yet, so no client is offered to set it up even when the organization
 * allows it.
 */
export const AVAILABLE_METHODS: readonly MethodId[] = BUILT_METHOD_IDS;

/**
 * The fixed order after the primary method; also the whole order on legacy consoles, which "offer the
 * authenticator app notification first, then any other authenticator app, then SMS": the catalogue's order
 * (docs/product-behaviour.md "Technician Console versions").
 */
export const METHOD_ORDER: readonly MethodId[] = METHOD_IDS;

/** Legacy consoles cannot use the methods the catalogue marks so (email: docs/product-behaviour.md "Technician Console versions"). */
function usableInClient(method: MethodId, legacy: boolean): boolean {
  return !legacy || describeMethod(method).onLegacyConsoles;
}

/**
 * Sorts methods: the primary first unless the client is a legacy console (which ignores it), then
 * {@link METHOD_ORDER}.
 */
function methodRank(settings: MethodSettings, legacy: boolean): (method: MethodId) => number {
  return (method) => {
    if (!legacy && method === settings.primaryMethod) return -1;
    return METHOD_ORDER.indexOf(method);
  };
}

/**
 * The member's factors that `client` may use to verify, in the order to offer them.
 *
 * - Only factors of methods in `settings.allowedMethods` (an organization can switch a method off,
 *   docs/security.md S17).
 * - Website, consoles newer than 7.50.3572 and consoles that send no parseable version: factors of the
 *   primary method first, then push, totp, sms, email.
 * - Consoles 7.50.3572 and earlier: no email factors, primary ignored, order push, totp, sms.
 *
 * Factors of the same method keep their input order (the sort is stable), so callers decide which of
 * two phones comes first.
 */
export function offeredFactors(
  factors: readonly FactorSummary[],
  settings: MethodSettings,
  client: ClientInfo,
): FactorSummary[] {
  const legacy = isLegacyConsole(client);
  const rank = methodRank(settings, legacy);
  return factors
    .filter((f) => settings.allowedMethods.includes(f.type) && usableInClient(f.type, legacy))
    .sort((a, b) => rank(a.type) - rank(b.type));
}

/**
 * The methods a member may set up in `client`, in the order to offer them: allowed by the
 * organization, built ({@link AVAILABLE_METHODS}), usable in the client (no email on legacy
 * consoles), primary first where the client honours it. May be empty, e.g. a legacy console in an
 * organization that allows only email: callers then tell the member to use the website.
 */
export function setupMethods(settings: MethodSettings, client: ClientInfo): MethodId[] {
  const legacy = isLegacyConsole(client);
  const rank = methodRank(settings, legacy);
  return METHOD_ORDER.filter(
    (m) =>
      settings.allowedMethods.includes(m) &&
      AVAILABLE_METHODS.includes(m) &&
      usableInClient(m, legacy),
  ).sort((a, b) => rank(a) - rank(b));
}

/**
 * The method a member must set up first in `client` (docs/product-behaviour.md "Setting it up": the primary method,
 * then optional backups): the primary method when it can be set up there, otherwise the first of
 * {@link setupMethods} — e.g. totp on a legacy console when the primary is email, or while push is not
 * built. `null` when nothing can be set up in this client.
 */
export function firstSetupMethod(settings: MethodSettings, client: ClientInfo): MethodId | null {
  const methods = setupMethods(settings, client);
  if (methods.includes(settings.primaryMethod)) return settings.primaryMethod;
  return methods[0] ?? null;
}
