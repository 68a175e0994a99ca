/**
 * The order of a set-up ("Protect your account"): the methods the member must set up and confirm,
 * in order, then those they may add. The transaction says this up front, and a step out of order is
 * refused before anything is bound or sent, so a member is never sent a text message for a backup
 * only to learn at Activate that the authenticator app had to come first.
 */
import type { ClientInfo, MethodId } from './model.ts';
import { firstSetupMethod, setupMethods, type MethodSettings } from './offeredFactors.ts';

export interface SetupPlan {
  /** Methods to set up and confirm, in this order, before any other and before Activate. */
  readonly required: MethodId[];
  /** Methods that may be added once every required one is confirmed. */
  readonly optional: MethodId[];
  /** The required method to set up next; null when all are confirmed (Activate, or add backups). */
  readonly next: MethodId | null;
}

/**
 * What the member must set up in `client`, given the methods of the factors already confirmed in
 * this set-up. Today one method is required, the primary one where the client can set it up (see
 * {@link firstSetupMethod}); the list form lets a second required method come without a new contract.
 */
export function setupPlan(settings: MethodSettings, client: ClientInfo, confirmed: readonly MethodId[]): SetupPlan {
  const first = firstSetupMethod(settings, client);
  const required = first === null ? [] : [first];
  const optional = setupMethods(settings, client).filter((m) => !required.includes(m));
  return { required, optional, next: required.find((m) => !confirmed.includes(m)) ?? null };
}

/**
 * The required method that must be confirmed before `method` may be set up, or null when setting
 * `method` up now is in order. A required method may always be set up (again: "Start pairing again"),
 * and nothing else until every required one before it is confirmed.
 */
export function setupBlockedBy(plan: SetupPlan, method: MethodId): MethodId | null {
  const position = plan.required.indexOf(method);
  const before = position === -1 ? plan.required : plan.required.slice(0, position);
  if (plan.next !== null && before.includes(plan.next)) return plan.next;
  return null;
}
