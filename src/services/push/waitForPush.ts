/**
 * The sign-in side's wait for a push answer (docs/push-protocol.md "The sign-in side waits"): a
 * long-poll on the latest request of a transaction or set-up, answered as soon as it differs from what
 * the client saw, or when it changes (an event from any node), expires, or the wait ends. No tight
 * polling: one request per change or per wait.
 */
import type { Context } from '../context.ts';
import { pushBusOf } from './pushBus.ts';
import { latestInScope, statusOf, type PushRequestStatus } from './pushViews.ts';

const keyOf = (status: PushRequestStatus | null): string => (status ? `${status.id}:${status.state}` : '');

async function current(ctx: Context, scope: string): Promise<PushRequestStatus | null> {
  const row = await latestInScope(ctx.db, scope);
  return row ? statusOf(ctx, row, ctx.clock()) : null;
}

/**
 * The latest request of `scope` once its `<id>:<state>` is not `seen`, waiting up to `waitMs` for that;
 * `aborted` ends the wait early (the client went away).
 */
export async function waitForPush(
  ctx: Context, scope: string, seen: string | undefined, waitMs: number, aborted: AbortSignal,
): Promise<PushRequestStatus | null> {
  let wake: () => void = () => {};
  let changed = false;
  const unsubscribe = await pushBusOf(ctx.store).subscribe((change) => {
    if (change.scope !== scope) return;
    changed = true;
    wake();
  });
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      changed = false;
      const status = await current(ctx, scope);
      if (seen === undefined || keyOf(status) !== seen || Date.now() >= deadline || aborted.aborted) return status;
      // A pending request expires without an event: wake at its expiry to say so.
      const untilExpiry = status?.state === 'pending' ? new Date(status.expiresAt).getTime() - ctx.clock().getTime() + 50 : Infinity;
      const pause = Math.max(0, Math.min(deadline - Date.now(), untilExpiry));
      if (!changed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          const done = () => { clearTimeout(timer); resolve(); };
          wake = done;
          aborted.addEventListener('abort', done, { once: true });
        });
      }
    }
  } finally {
    unsubscribe();
  }
}
