/**
 * An authenticator app notification (push) carried out through the public API, as the sign-in side
 * of docs/push-protocol.md does it: send the request, show its number (number matching: the member
 * types it into the authenticator), wait on the transaction's long-poll until the request is answered,
 * and complete the verification with the approval. A request that ends otherwise ends the step with
 * a {@link TwofoldProblem} whose code says why, so that a caller can word it.
 *
 * Each action is a function of its own (`startPush`, `waitForPush`, `verifyWithPush`,
 * `confirmWithPush`), used by the walk's built-in steps below and by a user interface that waits in
 * its own way (a page that keeps long-polling while it is shown).
 */
import type { Challenge, PushStatus, Transaction, TransactionFactor, TwofoldClient } from './client.ts';
import { bindFactor, sendChallenge, type TransactionRef } from './actions.ts';
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

/** The code a request that ended without an approval ends its step with; null while pending or once approved. */
export const pushEndCode = (state: PushStatus['state']): PushEndCode | null =>
  (state === 'pending' || state === 'approved' ? null : ENDED[state]);

/** How long each long-poll asks the server to hold the answer (the protocol's default; at most 30). */
const WAIT_SECONDS = 25;

/** A push request just sent: its id, the number to show, and until when it waits for an answer. */
export type PushRequest = NonNullable<Challenge['pushRequest']>;

/** Sends a push request to `factorId`'s authenticator (verification): the number to show. */
export async function startPush(api: TwofoldClient, transaction: TransactionRef, factorId: string, signal?: AbortSignal): Promise<PushRequest> {
  const request = (await sendChallenge(api, transaction, factorId, signal)).pushRequest;
  if (!request) throw new TwofoldProblem({ code: 'method_unavailable', status: 0, title: 'the server sent no push request for this factor' });
  return request;
}

/** What a long-poll answer was, as the next one tells the server (`<id>:<state>`; '' for no request). */
export const seenOf = (status: PushStatus | null): string => (status ? `${status.id}:${status.state}` : '');

/**
 * One long-poll of the transaction's push request: answers at once when it differs from `seen` (left
 * out: at once), otherwise when it changes or after 25 seconds. Null when there is no request.
 */
export async function waitForPush(api: TwofoldClient, transaction: TransactionRef, seen: string | undefined, signal?: AbortSignal): Promise<PushStatus | null> {
  const query = { ...(seen === undefined ? {} : { seen }), waitSeconds: String(WAIT_SECONDS) };
  return (await unwrap(api.GET('/api/v1/transactions/{id}/push-request', {
    params: { path: { id: transaction.id }, query }, ...(signal ? { signal } : {}),
  }))).pushRequest;
}

/** Completes the verification (or a set-up's proof) with an approved push request. */
export function verifyWithPush(api: TwofoldClient, transaction: TransactionRef, factorId: string, pushRequestId: string, signal?: AbortSignal): Promise<Transaction> {
  return unwrap(api.POST('/api/v1/transactions/{id}/verify', {
    params: { path: { id: transaction.id } }, body: { factorId, pushRequestId }, ...(signal ? { signal } : {}),
  }));
}

/** Confirms a push factor being set up with the approval of its first request. */
export function confirmWithPush(api: TwofoldClient, transaction: TransactionRef, factorId: string, pushRequestId: string): Promise<Transaction> {
  return unwrap(api.POST('/api/v1/transactions/{id}/factors/{factorId}/confirm', {
    params: { path: { id: transaction.id, factorId } }, body: { pushRequestId },
  }));
}

/** The push step for `api`: what the walk uses when its caller can show a number. */
export function pushThroughApi(api: TwofoldClient): PushApproval {
  return async ({ transaction, factor, showNumber, signal }) => {
    const request = await startPush(api, transaction, factor.id, signal);
    showNumber({ number: request.number, expiresAt: request.expiresAt });
    const state = await waitForAnswer(api, transaction, factor, request.id, signal);
    const ended = pushEndCode(state);
    if (ended) throw new TwofoldProblem({ code: ended, status: 0, state, pushRequestId: request.id });
    return verifyWithPush(api, transaction, factor.id, request.id, signal);
  };
}

/**
 * Long-polls the transaction's push request until `requestId` is no longer pending. The server holds
 * each call until the request changes or WAIT_SECONDS pass, so this asks about once per change, never
 * in a tight loop; the request expires on the server after 60 seconds, which ends the wait too.
 */
async function waitForAnswer(api: TwofoldClient, transaction: Transaction, factor: TransactionFactor, requestId: string, signal?: AbortSignal): Promise<PushStatus['state']> {
  let seen = `${requestId}:pending`;
  for (;;) {
    signal?.throwIfAborted();
    const pushRequest = await waitForPush(api, transaction, seen, signal);
    // Another request replaced ours (sent from elsewhere in this transaction): ours is no longer the one to wait for.
    if (!pushRequest || pushRequest.id !== requestId || pushRequest.factorId !== factor.id) {
      throw new TwofoldProblem({ code: 'push_expired', status: 0, state: 'replaced', pushRequestId: requestId });
    }
    if (pushRequest.state !== 'pending') return pushRequest.state;
    seen = seenOf(pushRequest);
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
  const bound = await bindFactor(api, transaction, { type: 'push' });
  if (!bound.pairingLink) throw new TwofoldProblem({ code: 'method_unavailable', status: 0, title: 'the server sent no pairing link' });
  await showPushPairing({ transaction, factor: bound, pairingLink: bound.pairingLink, qrCodeSvg: bound.qrCodeSvg ?? null, expiresAt: bound.pairingExpiresAt ?? null });
  const factor: TransactionFactor = { id: bound.id, type: 'push', label: bound.label, locked: false };
  // `seen` is what the last answer said ('' for no request yet): each call returns once that changes.
  let seen = '';
  let shown: string | null = null;
  for (;;) {
    const pushRequest = await waitForPush(api, transaction, seen);
    if (pushRequest && pushRequest.factorId === bound.id) {
      if (pushRequest.state === 'approved') return confirmWithPush(api, transaction, bound.id, pushRequest.id);
      const ended = pushEndCode(pushRequest.state);
      if (ended) throw new TwofoldProblem({ code: ended, status: 0, state: pushRequest.state, pushRequestId: pushRequest.id });
      if (pushRequest.id !== shown) {
        shown = pushRequest.id;
        showPushNumber({ transaction, factor, number: pushRequest.number, expiresAt: pushRequest.expiresAt, purpose: 'pairing' });
      }
    }
    seen = seenOf(pushRequest);
  }
}
