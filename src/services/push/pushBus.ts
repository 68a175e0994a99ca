/**
 * Tells every node that a push request changed (made, answered, ended), so the authenticators' streams
 * and the sign-in side's waits held on any node read it again at once. On PostgreSQL the event is a
 * `NOTIFY` that every node's `LISTEN` connection receives (its own included); on SQLite, one process,
 * it is delivered in-process. Events carry ids only: listeners read the request from the database,
 * so a lost event delays a listener until its next timer rather than showing it something wrong.
 */
import { sql } from 'kysely';
import type { Store } from '../../storage/database.ts';

const CHANNEL = 'twofold_push';

export interface PushChange {
  readonly requestId: string;
  readonly factorId: string;
  readonly memberId: string;
  readonly scope: string;
}

type Listener = (change: PushChange) => void;

export class PushBus {
  private readonly listeners = new Set<Listener>();
  private listening: Promise<void> | null = null;

  constructor(private readonly store: Store) {}

  /** Sends `change` to every node; call after the change is committed. */
  async publish(change: PushChange): Promise<void> {
    if (this.store.listen) {
      await sql`SELECT pg_notify(${CHANNEL}, ${JSON.stringify(change)})`.execute(this.store.db);
    } else {
      setImmediate(() => this.deliver(change));
    }
  }

  /** Calls `listener` for every change from now on; resolves once changes are being received. */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    if (this.store.listen) {
      this.listening ??= this.store.listen(CHANNEL, (payload) => this.receive(payload)).catch((error: unknown) => {
        this.listening = null;
        throw error;
      });
      await this.listening;
    }
    return () => { this.listeners.delete(listener); };
  }

  private receive(payload: string): void {
    try {
      const change = JSON.parse(payload) as PushChange;
      if (typeof change.requestId === 'string' && typeof change.scope === 'string') this.deliver(change);
    } catch {
      // Not ours: the channel name is Twofold's, but a stray NOTIFY is ignored rather than trusted.
    }
  }

  private deliver(change: PushChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

const buses = new WeakMap<Store, PushBus>();

/** The bus of `store`: one per store, so every use case and route of a node shares its listeners. */
export function pushBusOf(store: Store): PushBus {
  let bus = buses.get(store);
  if (!bus) {
    bus = new PushBus(store);
    buses.set(store, bus);
  }
  return bus;
}
