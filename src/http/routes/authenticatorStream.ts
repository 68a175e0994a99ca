/**
 * The request stream an authenticator holds (server-sent events, docs/push-protocol.md "The request
 * stream"): every pending request of the device when it opens, each new one as it is made on any node,
 * and `closed` when one ends (answered, or expired: a timer per request, since expiry writes nothing).
 * Each change is read again from the database, so the stream never shows what was not committed. A
 * stream lasts ten minutes at most (the authenticator reconnects with a fresh signature) and ends when
 * the server stops or the device is no longer paired (removed, replaced, or retired by a reset: looked
 * at again with each keep-alive).
 */
import type { FastifyReply } from 'fastify';
import type { Context } from '../../services/context.ts';
import { effectiveState } from '../../services/push/pushAvailability.ts';
import { pushBusOf } from '../../services/push/pushBus.ts';
import { pairedDevice } from '../../services/push/deviceAuth.ts';
import { pendingRequestsOf } from '../../services/push/pushViews.ts';

const KEEP_ALIVE_MS = 15_000;
const MAX_STREAM_MS = 10 * 60_000;

/** Streams open on each node (by its context), ended when it closes so a stop never waits for them. */
const openStreams = new WeakMap<Context, Set<() => void>>();

export function endStreamsOf(ctx: Context): void {
  for (const end of openStreams.get(ctx) ?? []) end();
}

export async function openDeviceStream(ctx: Context, deviceId: string, reply: FastifyReply): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  const write = (text: string): void => { if (!raw.writableEnded) raw.write(text); };
  const event = (name: string, data: unknown): void => write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

  const shown = new Map<string, NodeJS.Timeout>();
  let ended = false;
  let queue = Promise.resolve();
  const sync = (): void => {
    queue = queue.then(async () => {
      if (ended) return;
      if (!await pairedDevice(ctx.db, deviceId)) return end();
      const now = ctx.clock();
      const pending = await pendingRequestsOf(ctx.db, deviceId, now);
      for (const request of pending) {
        if (shown.has(request.id)) continue;
        const untilExpiry = Math.max(0, new Date(request.expiresAt).getTime() - now.getTime()) + 50;
        shown.set(request.id, setTimeout(sync, untilExpiry));
        event('request', request);
      }
      const still = new Set(pending.map((r) => r.id));
      for (const [id, timer] of shown) {
        if (still.has(id)) continue;
        clearTimeout(timer);
        shown.delete(id);
        const row = await ctx.db.selectFrom('push_requests').select(['state', 'expires_at']).where('id', '=', id).executeTakeFirst();
        event('closed', { id, state: row ? effectiveState(row, ctx.clock().getTime()) : 'expired' });
      }
    }).catch((error: unknown) => {
      ctx.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'an authenticator stream could not be updated');
    });
  };

  const unsubscribe = await pushBusOf(ctx.store).subscribe((change) => { if (change.factorId === deviceId) sync(); });
  // Each keep-alive also looks at the pairing again: a reset retires every factor at once, with no
  // event per device, and a stream must not go on as if the device still counted.
  const keepAlive = setInterval(() => {
    write(': keep-alive\n\n');
    sync();
  }, KEEP_ALIVE_MS);
  const lifetime = setTimeout(() => end(), MAX_STREAM_MS);
  const streams = openStreams.get(ctx) ?? new Set<() => void>();
  openStreams.set(ctx, streams);
  function end(): void {
    if (ended) return;
    ended = true;
    unsubscribe();
    clearInterval(keepAlive);
    clearTimeout(lifetime);
    for (const timer of shown.values()) clearTimeout(timer);
    streams.delete(end);
    if (!raw.writableEnded) raw.end();
  }
  streams.add(end);
  raw.on('close', end);
  write(': connected\n\n');
  sync();
}
