/** A password an administrator or an invited member sets, held to the organization's policy. */
import { TwofoldError } from '../../core/errors.ts';
import type { PasswordPolicy } from '../../core/model.ts';
import { checkPassword } from '../../core/passwordStrength.ts';

/** Throws `password_too_weak` naming the rule that failed (and the field, for forms). */
export function requireStrongEnough(password: string, policy: PasswordPolicy, field = 'password'): void {
  const check = checkPassword(password, policy);
  if (!check.ok) {
    throw new TwofoldError('password_too_weak', check.message, { rule: check.rule, minimumStrength: policy.minimumStrength, field });
  }
}
