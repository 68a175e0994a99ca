/** The second-factor methods by id. Push is listed in settings but not built yet, so it has no entry. */
import type { MethodId } from '../core/model.ts';
import { TwofoldError } from '../core/errors.ts';
import type { SecondFactorMethod } from './method.ts';
import { emailMethod, smsMethod } from './sentCodeMethods.ts';
import { totpMethod } from './totpMethod.ts';

const METHODS: Partial<Record<MethodId, SecondFactorMethod>> = {
  totp: totpMethod,
  sms: smsMethod,
  email: emailMethod,
};

export function methodFor(id: string): SecondFactorMethod {
  const method = METHODS[id as MethodId];
  if (!method) throw new TwofoldError('method_unavailable', `The ${id} method is not available yet.`);
  return method;
}
