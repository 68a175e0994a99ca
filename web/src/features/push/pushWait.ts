/**
 * The sign-in side's wait for a push request (docs/push-protocol.md "The sign-in side waits"): one
 * long-poll after another, each telling the server what was last seen, so the page hears of a
 * change at once and sends one request per change or per 25 seconds, never a tight poll.
 */
import { useEffect, useState } from 'react';
import { seenOf, waitForPush } from '@twofold/client';
import { api, unwrap } from '../../api/client.ts';
import { ApiProblem } from '../../api/problem.ts';
import type { paths } from '../../api/schema.d.ts';

type WaitAnswer = paths['/api/v1/me/push-request']['get']['responses'][200]['content']['application/json'];
export type PushStatus = NonNullable<WaitAnswer['pushRequest']>;
export type WaitFor = (seen: string | undefined, signal: AbortSignal) => Promise<PushStatus | null>;

const WAIT_SECONDS = '25';

const transactionWaits = new Map<string, WaitFor>();

/** One function per transaction, so a page drawn again keeps its wait instead of starting another. */
export function transactionWait(transactionId: string): WaitFor {
  let waitFor = transactionWaits.get(transactionId);
  if (!waitFor) {
    waitFor = (seen, signal) => waitForPush(api, { id: transactionId }, seen, signal);
    transactionWaits.set(transactionId, waitFor);
  }
  return waitFor;
}

export const accountWait: WaitFor = async (seen, signal) => (await unwrap(api.GET('/api/v1/me/push-request', {
  params: { query: { ...(seen === undefined ? {} : { seen }), waitSeconds: WAIT_SECONDS } }, signal,
}))).pushRequest;

export interface PushWait {
  /** The latest request; undefined until the first answer. */
  readonly status: PushStatus | null | undefined;
  /** A problem that ends the wait (the sign-in expired, say); a lost connection is retried instead. */
  readonly error: unknown;
}

export function usePushWait(waitFor: WaitFor, active = true): PushWait {
  const [status, setStatus] = useState<PushStatus | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!active) return;
    const controller = new AbortController();
    let seen: string | undefined;
    void (async () => {
      while (!controller.signal.aborted) {
        try {
          const next = await waitFor(seen, controller.signal);
          if (controller.signal.aborted) return;
          seen = seenOf(next);
          setStatus(next);
        } catch (cause) {
          if (controller.signal.aborted) return;
          if (cause instanceof ApiProblem && cause.code !== 'network') return setError(cause);
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      }
    })();
    return () => controller.abort();
  }, [waitFor, active]);
  return { status, error };
}
