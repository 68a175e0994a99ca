/** The second-factor methods by id. Push is listed in settings but not built yet, so it has no entry. */
import type { MethodId } from '../core/model.ts';
import { METHOD_IDS } from '../core/model.ts';
import { TwofoldError } from '../core/errors.ts';
import type { SecondFactorMethod } from './method.ts';
import { methodDisplayName } from './names.ts';
import { emailMethod, smsMethod } from './sentCodeMethods.ts';
import { totpMethod } from './totpMethod.ts';

export { METHOD_DISPLAY_NAMES, methodDisplayName } from './names.ts';

const METHODS: Partial<Record<MethodId, SecondFactorMethod>> = {
  totp: totpMethod,
  sms: smsMethod,
  email: emailMethod,
};

export function methodFor(id: string): SecondFactorMethod {
  const method = METHODS[id as MethodId];
  if (!method) {
    const known = (METHOD_IDS as readonly string[]).includes(id);
    throw new TwofoldError('method_unavailable', known
      ? `The ${methodDisplayName(id as MethodId)} method is not available yet.`
      : 'This method is not available.');
  }
  return method;
}
