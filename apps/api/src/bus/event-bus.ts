import type { BusChannels } from "@murmur/api-contract";
import { metrics } from "../metrics";

export type Channel = keyof BusChannels;
export type Listener<C extends Channel> = (event: BusChannels[C]) => void;
/** Stops what it was returned for; safe to call more than once. */
export type Unsubscribe = () => void;

/**
 * How live events travel between the code that causes them and the subscriptions that
 * deliver them. In-process by default; the Redis implementation spans several processes.
 * Delivery is best effort: subscribers recover anything missed from the database.
 */
export interface EventBus {
  /** Never fails the caller: an event that cannot be delivered live is recovered from the database. */
  publish<C extends Channel>(channel: C, key: string, event: BusChannels[C]): Promise<void>;
  /**
   * Listens until `signal` aborts or the returned function is called; resolves once the listener
   * is live, so a backfill after it misses nothing. Room and DM streams, which idle connections
   * hold by the thousand, pass no signal and call the function: an abort listener costs memory.
   */
  subscribe<C extends Channel>(
    channel: C,
    key: string,
    listener: Listener<C>,
    signal?: AbortSignal,
  ): Promise<Unsubscribe>;
  /** Called after an outage in which live events may have been lost, so subscribers can catch up. */
  onRecover(listener: () => void, signal?: AbortSignal): Unsubscribe;
  /** "degraded" while events cannot cross processes. */
  health(): "ok" | "degraded";
  /** Listeners currently attached in this process, to prove that none leak. */
  listenerCount(): number;
  close(): Promise<void>;
}

export const topicOf = (channel: Channel, key: string) => `${channel}:${key}`;

/** Local fan-out shared by both implementations: topic → listeners, with counts for leak checks. */
export class ListenerRegistry {
  private readonly topics = new Map<string, Set<(event: never) => void>>();
  private readonly recoverers = new Set<() => void>();
  private count = 0;

  /**
   * Adds a listener until `signal` aborts or `remove` is called; `first` tells whether it is the
   * topic's first (time to subscribe upstream). An already aborted signal adds nothing.
   */
  add(
    topic: string,
    listener: (event: never) => void,
    signal: AbortSignal | undefined,
    onEmpty: () => void,
  ): { first: boolean; remove: Unsubscribe } {
    if (signal?.aborted) return { first: false, remove: () => undefined };
    const listeners = this.topics.get(topic) ?? new Set();
    const first = listeners.size === 0;
    this.topics.set(topic, listeners);
    listeners.add(listener);
    this.count++;
    const remove = () => {
      signal?.removeEventListener("abort", remove);
      if (!listeners.delete(listener)) return;
      this.count--;
      if (listeners.size === 0) {
        this.topics.delete(topic);
        onEmpty();
      }
    };
    signal?.addEventListener("abort", remove, { once: true });
    return { first, remove };
  }

  deliver(topic: string, event: unknown): void {
    const listeners = this.topics.get(topic);
    if (!listeners) return;
    metrics.eventsDelivered.inc({ channel: topic.slice(0, topic.indexOf(":")) }, listeners.size);
    for (const listener of [...listeners]) (listener as (e: unknown) => void)(event);
  }

  has(topic: string): boolean {
    return this.topics.has(topic);
  }

  onRecover(listener: () => void, signal: AbortSignal | undefined): Unsubscribe {
    const remove = () => {
      this.recoverers.delete(listener);
    };
    if (signal?.aborted) return remove;
    this.recoverers.add(listener);
    signal?.addEventListener("abort", remove, { once: true });
    return remove;
  }

  recovered(): void {
    for (const listener of [...this.recoverers]) listener();
  }

  get size(): number {
    return this.count;
  }
}
