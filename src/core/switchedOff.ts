/**
 * Members whose factors are all of methods the organization has since switched off. Such a member
 * cannot verify, so their next sign-in sets an allowed method up; but the password alone must never
 * replace a factor. The set-up therefore first asks for a proof: a code from one of those factors
 * (accepted for this purpose only), a recovery code, or an administrator's setup code. Pure: the
 * rules reports, the member listing and sign-in share.
 */
import { isLegacyConsole } from './consoleVersion.ts';
import { METHOD_IDS, type ClientInfo, type MethodId } from './model.ts';
import type { MethodSettings } from './offeredFactors.ts';

/** What is known of a member's two-step verification in the current epoch. */
export interface FactorMethods {
  /** Whether Global Settings require the member to use two-step verification. */
  readonly required: boolean;
  /** The methods of the member's active factors bound in the current epoch (any order, repeats allowed). */
  readonly methods: readonly string[];
}

/** The member has a factor they can verify with: active, in the current epoch, of an allowed method. */
export function hasUsableFactor(methods: readonly string[], allowedMethods: readonly MethodId[]): boolean {
  return methods.some((m) => (allowedMethods as readonly string[]).includes(m));
}

/**
 * "Must set up again": required to use two-step verification, no usable factor, and a factor set up
 * before (active in the current epoch) of a method no longer allowed. Members reset by a change of the
 * primary method (factors of an older epoch) do not count: that reset is the organization's decision,
 * like an administrator's, and their old factors are deleted by housekeeping; they count as members
 * who have not set it up.
 */
export function mustSetUpAgain(member: FactorMethods, allowedMethods: readonly MethodId[]): boolean {
  return member.required && member.methods.length > 0 && !hasUsableFactor(member.methods, allowedMethods);
}

/**
 * The factors a member in a set-up may prove possession with: those of switched-off methods, usable in
 * the client (legacy consoles cannot use email), in the fixed method order. Empty when the member has a
 * usable factor: they verify instead, and no set-up is opened.
 */
export function proofFactors<F extends { readonly type: string }>(factors: readonly F[], settings: MethodSettings, client: ClientInfo): F[] {
  if (hasUsableFactor(factors.map((f) => f.type), settings.allowedMethods)) return [];
  const legacy = isLegacyConsole(client);
  const allowed: readonly string[] = settings.allowedMethods;
  const rank = (type: string) => (METHOD_IDS as readonly string[]).indexOf(type);
  return factors
    .filter((f) => !allowed.includes(f.type) && !(legacy && f.type === 'email'))
    .sort((a, b) => rank(a.type) - rank(b.type));
}
