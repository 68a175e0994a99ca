/**
 * An authenticator app notification (push) carried out through the public API, as the sign-in side
 * of docs/push-protocol.md does it: send the request, show its number (number matching: the member
 * types it into the authenticator), wait on the transaction's long-poll until the request is answered,
 * and complete the verification with the approval. A request that ends otherwise ends the step with
 * a {@link TwofoldProblem} whose code says why, so that a caller can word it.
 */
import type { Transaction, TransactionFactor, TwofoldClient } from './client.ts';
import { TwofoldProblem, unwrap } from './problem.ts';
import type { PushApproval, SignInPrompts } from './prompts.ts';

/**
 * The codes a push step ends with besides the server's own (`push_pending`, `push_suspended`,
 * `push_locked`, `transaction_expired`, …): the member denied it, nobody answered it in time, or a
 * wrong number was typed into the authenticator (the server's `push_number_mismatch`). A report
 * ("This wasn't me") locked push: `push_locked`, as the server says at the next attempt.
 */
export type PushEndCode = 'push_denied' | 'push_expired' | 'push_number_mismatch' | 'push_locked';

const ENDED: Record<'denied' | 'expired' | 'wrong_number' | 'reported', PushEndCode> = {
  denied: 'push_denied',
  expired: 'push_expired',
  wrong_number: 'push_number_mismatch',
  reported: 'push_locked',
};

/** How long each long-poll asks the server to hold the answer (the protocol's default; at most 30). */
const WAIT_SECONDS = 25;

/** The push step for `api`: what the walk uses when its caller can show a number. */
export function pushThroughApi(api: TwofoldClient): PushApproval {
  return async ({ transaction, factor, showNumber, signal }) => {
    const path = { id: transaction.id };
    const sent = await unwrap(api.POST('/api/v1/transactions/{id}/challenges', { params: { path }, body: { factorId: factor.id }, ...(signal ? { signal } : {}) }));
    const request = sent.pushRequest;
    if (!request) throw new TwofoldProblem({ code: 'method_unavailable', status: 0, title: 'the server sent no push request for this factor' });
    showNumber({ number: request.number, expiresAt: request.expiresAt });
    const state = await waitForAnswer(api, transaction, factor, request.id, signal);
    if (state !== 'approved') throw new TwofoldProblem({ code: ENDED[state], status: 0, state, pushRequestId: request.id });
    return unwrap(api.POST('/api/v1/transactions/{id}/verify', {
      params: { path }, body: { factorId: factor.id, pushRequestId: request.id }, ...(signal ? { signal } : {}),
    }));
  };
}

type PushState = 'approved' | keyof typeof ENDED;

/**
 * Long-polls the transaction's push request until `requestId` is no longer pending. The server holds
 * each call until the request changes or WAIT_SECONDS pass, so this asks about once per change, never
 * in a tight loop; the request expires on the server after 60 seconds, which ends the wait too.
 */
async function waitForAnswer(api: TwofoldClient, transaction: Transaction, factor: TransactionFactor, requestId: string, signal?: AbortSignal): Promise<PushState> {
  let seen = `${requestId}:pending`;
  for (;;) {
    signal?.throwIfAborted();
    const { pushRequest } = await unwrap(api.GET('/api/v1/transactions/{id}/push-request', {
      params: { path: { id: transaction.id }, query: { seen, waitSeconds: String(WAIT_SECONDS) } }, ...(signal ? { signal } : {}),
    }));
    // Another request replaced ours (sent from elsewhere in this transaction): ours is no longer the one to wait for.
    if (!pushRequest || pushRequest.id !== requestId || pushRequest.factorId !== factor.id) {
      throw new TwofoldProblem({ code: 'push_expired', status: 0, state: 'replaced', pushRequestId: requestId });
    }
    if (pushRequest.state !== 'pending') return pushRequest.state;
    seen = `${pushRequest.id}:${pushRequest.state}`;
  }
}

/**
 * Set-up of push: binds a push factor, shows its single-use pairing link (and QR code) with
 * `prompts.showPushPairing`, waits on the long-poll for the pairing confirmation the server sends the
 * authenticator once it has registered its key, shows that request's number with
 * `prompts.showPushNumber`, and confirms the factor with the approval. A confirmation denied or not
 * answered ends the set-up with its code, as a sign-in's does.
 */
export async function setUpPushThroughApi(api: TwofoldClient, transaction: Transaction, prompts: SignInPrompts): Promise<Transaction> {
  const { showPushPairing, showPushNumber } = prompts;
  if (!showPushPairing || !showPushNumber) throw new TwofoldProblem({ code: 'factor_not_offered', status: 0 });
  const path = { id: transaction.id };
  const bound = await unwrap(api.POST('/api/v1/transactions/{id}/factors', { params: { path }, body: { type: 'push' } }));
  if (!bound.pairingLink) throw new TwofoldProblem({ code: 'method_unavailable', status: 0, title: 'the server sent no pairing link' });
  await showPushPairing({ transaction, factor: bound, pairingLink: bound.pairingLink, qrCodeSvg: bound.qrCodeSvg ?? null, expiresAt: bound.pairingExpiresAt ?? null });
  const factor: TransactionFactor = { id: bound.id, type: 'push', label: bound.label, locked: false };
  // `seen` is what the last answer said ('' for no request yet): each call returns once that changes.
  let seen = '';
  let shown: string | null = null;
  for (;;) {
    const { pushRequest } = await unwrap(api.GET('/api/v1/transactions/{id}/push-request', {
      params: { path, query: { seen, waitSeconds: String(WAIT_SECONDS) } },
    }));
    if (pushRequest && pushRequest.factorId === bound.id) {
      if (pushRequest.state === 'approved') {
        return unwrap(api.POST('/api/v1/transactions/{id}/factors/{factorId}/confirm', {
          params: { path: { id: transaction.id, factorId: bound.id } }, body: { pushRequestId: pushRequest.id },
        }));
      }
      if (pushRequest.state !== 'pending') throw new TwofoldProblem({ code: ENDED[pushRequest.state], status: 0, state: pushRequest.state, pushRequestId: pushRequest.id });
      if (pushRequest.id !== shown) {
        shown = pushRequest.id;
        showPushNumber({ transaction, factor, number: pushRequest.number, expiresAt: pushRequest.expiresAt, purpose: 'pairing' });
      }
    }
    seen = pushRequest ? `${pushRequest.id}:${pushRequest.state}` : '';
  }
}
