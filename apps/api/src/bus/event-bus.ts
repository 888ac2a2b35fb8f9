import type { BusChannels } from "@murmur/api-contract";
import { metrics } from "../metrics";

export type Channel = keyof BusChannels;
export type Listener<C extends Channel> = (event: BusChannels[C]) => void;

/**
 * How live events travel between the code that causes them and the subscriptions that
 * deliver them. In-process by default; the Redis implementation spans several processes.
 * Delivery is best effort: subscribers recover anything missed from the database.
 */
export interface EventBus {
  /** Never fails the caller: an event that cannot be delivered live is recovered from the database. */
  publish<C extends Channel>(channel: C, key: string, event: BusChannels[C]): Promise<void>;
  /** Listens until `signal` aborts; resolves once the listener is live, so a backfill after it misses nothing. */
  subscribe<C extends Channel>(channel: C, key: string, listener: Listener<C>, signal: AbortSignal): Promise<void>;
  /** Called after an outage in which live events may have been lost, so subscribers can catch up. */
  onRecover(listener: () => void, signal: AbortSignal): void;
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

  /** Adds a listener; returns true when it is the topic's first (time to subscribe upstream). */
  add(topic: string, listener: (event: never) => void, signal: AbortSignal, onEmpty: () => void): boolean {
    const listeners = this.topics.get(topic) ?? new Set();
    const first = listeners.size === 0;
    this.topics.set(topic, listeners);
    listeners.add(listener);
    this.count++;
    signal.addEventListener(
      "abort",
      () => {
        if (!listeners.delete(listener)) return;
        this.count--;
        if (listeners.size === 0) {
          this.topics.delete(topic);
          onEmpty();
        }
      },
      { once: true },
    );
    return first;
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

  onRecover(listener: () => void, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.recoverers.add(listener);
    signal.addEventListener("abort", () => this.recoverers.delete(listener), { once: true });
  }

  recovered(): void {
    for (const listener of [...this.recoverers]) listener();
  }

  get size(): number {
    return this.count;
  }
}
