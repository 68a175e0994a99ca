/**
 * Runs {@link purgeEnded} on a timer while the server serves: a first time soon after start, then
 * every few minutes, each wait varied a little so several nodes started together do not purge in step.
 * One purge runs at a time; a failure (the database away for a moment, say) is logged and the next
 * run tries again. `stop` ends the timer and waits for a purge under way to finish its batch.
 */
import { randomInt } from 'node:crypto';
import type { Context } from '../context.ts';
import { purgeEnded, type PurgeCounts } from './purgeEnded.ts';

export interface HousekeepingOptions {
  /** Before the first purge. */
  readonly firstAfterMs?: number;
  /** Between purges, give or take a fifth. */
  readonly everyMs?: number;
}

export interface Housekeeping {
  stop(): Promise<void>;
}

export function startHousekeeping(ctx: Context, options: HousekeepingOptions = {}): Housekeeping {
  const everyMs = options.everyMs ?? 10 * 60_000;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    // A pending purge must not keep a process alive that has nothing else to do.
    timer = setTimeout(() => {
      running = purgeOnce(ctx, () => stopped).finally(() => { if (!stopped) schedule(varied(everyMs)); });
    }, ms).unref();
  };
  schedule(options.firstAfterMs ?? varied(60_000));

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

async function purgeOnce(ctx: Context, stopping: () => boolean): Promise<void> {
  try {
    const counts = await purgeEnded(ctx, { stopping });
    const removed = Object.entries(counts).filter(([, n]) => n > 0);
    if (removed.length > 0) ctx.log.info(Object.fromEntries(removed) as Partial<PurgeCounts>, 'housekeeping deleted ended records');
  } catch (error) {
    ctx.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'housekeeping failed; it runs again later');
  }
}

/** `ms` give or take a fifth. */
function varied(ms: number): number {
  const spread = Math.floor(ms / 5);
  return ms - spread + randomInt(0, 2 * spread + 1);
}
