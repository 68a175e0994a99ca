/** Where a push factor is set up: a sign-in's set-up transaction, or the signed-in member's account. */
import { bindFactor, confirmWithPush, sendChallenge } from '@twofold/client';
import { api, unwrap, type Transaction } from '../../api/client.ts';
import type { PushBinding } from './PushSetUp.tsx';
import { accountWait, transactionWait } from './pushWait.ts';

export function transactionPushBinding(transactionId: string): PushBinding<Transaction> {
  return {
    bind: () => bindFactor(api, { id: transactionId }, { type: 'push' }),
    waitFor: transactionWait(transactionId),
    confirm: (factorId, pushRequestId) => confirmWithPush(api, { id: transactionId }, factorId, pushRequestId),
    resend: (factorId) => sendChallenge(api, { id: transactionId }, factorId),
  };
}

/** From the account; `replacesFactorId` re-pairs ("Start pairing again") a device the member has. */
export function accountPushBinding(replacesFactorId: string | undefined): PushBinding<unknown> {
  return {
    bind: () => unwrap(api.POST('/api/v1/me/factors', { body: { type: 'push', ...(replacesFactorId ? { replacesFactorId } : {}) } })),
    waitFor: accountWait,
    confirm: (id, pushRequestId) => unwrap(api.POST('/api/v1/me/factors/{id}/confirm', { params: { path: { id } }, body: { pushRequestId } })),
  };
}
