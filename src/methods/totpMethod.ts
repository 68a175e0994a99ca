/** Any authenticator app: RFC 6238 TOTP, with each time step accepted once per factor. */
import { compactCode } from '../core/codeEntry.ts';
import { TwofoldError } from '../core/errors.ts';
import { generateTotpSeed, matchTotpStep, otpauthUri, qrCodeSvg } from './totp.ts';
import { prepareQuery } from '../storage/preparedQuery.ts';
import type { RowConsumption, SecondFactorMethod } from './method.ts';

// RFC 6238 §5.2: remember the last accepted step and refuse it and every earlier one; the condition in
// the update makes the check and the write one atomic act.
const stepConsumption: RowConsumption = {
  set: (step) => ({ last_step: step as number }),
  unconsumed: (eb, step) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step as number)]),
};
const consumeStep = prepareQuery((db, p: { id: string; step: number }) => db.updateTable('factors').set(stepConsumption.set(p.step))
  .where('id', '=', p.id).where((eb) => stepConsumption.unconsumed(eb, p.step)));

export const totpMethod: SecondFactorMethod<string> = {
  id: 'totp',
  // The app makes the secret's codes from the QR code it is shown: nothing to ask the member for.
  enrolmentFields: {},

  async enrol(ctx, request) {
    const seed = generateTotpSeed();
    const uri = otpauthUri({ seed, issuer: request.organizationName, account: request.memberEmail });
    return {
      label: 'Authenticator app',
      // The factor id is the associated data: a sealed seed moved to another row will not open.
      secret: ctx.secretBox.seal(seed, request.factorId),
      destination: null,
      display: { otpauthUri: uri, qrCodeSvg: await qrCodeSvg(uri) },
    };
  },

  // The codes come from the member's app: a challenge sends nothing.
  challenge: async () => ({ kind: 'none' }),

  readResponse: (input) => (input.code === undefined ? null : compactCode(input.code)),

  async check(ctx, _db, factor, code, _scope, now) {
    if (!factor.secret) throw new TwofoldError('method_unavailable', 'This factor has no secret.');
    const seed = ctx.secretBox.open(factor.secret, factor.id);
    const step = matchTotpStep(seed, code, now);
    seed.fill(0);
    return step;
  },

  async consume(db, factor, step) {
    return await consumeStep.affected(db, { id: factor.id, step: Number(step) }) === 1;
  },

  rowConsumption: stepConsumption,
};
