/** Where a push factor is set up: a sign-in's set-up transaction, or the signed-in member's account. */
import { api, unwrap, type Transaction } from '../../api/client.ts';
import type { PushBinding } from './PushSetUp.tsx';
import { accountWait, transactionWait } from './pushWait.ts';

export function transactionPushBinding(transactionId: string): PushBinding<Transaction> {
  return {
    bind: () => unwrap(api.POST('/api/v1/transactions/{id}/factors', { params: { path: { id: transactionId } }, body: { type: 'push' } })),
    waitFor: transactionWait(transactionId),
    confirm: (factorId, pushRequestId) => unwrap(api.POST('/api/v1/transactions/{id}/factors/{factorId}/confirm', {
      params: { path: { id: transactionId, factorId } }, body: { pushRequestId },
    })),
    resend: (factorId) => unwrap(api.POST('/api/v1/transactions/{id}/challenges', { params: { path: { id: transactionId } }, body: { factorId } })),
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
