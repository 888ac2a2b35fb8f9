import type { BusChannels } from "@murmur/api-contract";
import { topicOf, type Channel, type EventBus, type Listener } from "./event-bus";

type AnyListener = (event: BusChannels[Channel]) => void;

export function createMemoryBus(): EventBus {
  const topics = new Map<string, Set<AnyListener>>();
  let count = 0;

  return {
    publish(channel, key, event) {
      const listeners = topics.get(topicOf(channel, key));
      if (listeners) for (const listener of [...listeners]) listener(event);
      return Promise.resolve();
    },
    subscribe<C extends Channel>(channel: C, key: string, listener: Listener<C>, signal: AbortSignal) {
      if (signal.aborted) return;
      const topic = topicOf(channel, key);
      const listeners = topics.get(topic) ?? new Set<AnyListener>();
      topics.set(topic, listeners);
      const entry = listener as AnyListener;
      listeners.add(entry);
      count++;
      signal.addEventListener(
        "abort",
        () => {
          listeners.delete(entry);
          count--;
          if (listeners.size === 0) topics.delete(topic);
        },
        { once: true },
      );
    },
    listenerCount: () => count,
    close: () => Promise.resolve(),
  };
}
