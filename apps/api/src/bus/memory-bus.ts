import { metrics } from "../metrics";
import { ListenerRegistry, topicOf, type EventBus } from "./event-bus";

export function createMemoryBus(): EventBus {
  const registry = new ListenerRegistry();
  return {
    publish(channel, key, event) {
      metrics.eventsPublished.inc({ channel });
      registry.deliver(topicOf(channel, key), event);
      return Promise.resolve();
    },
    subscribe(channel, key, listener, signal) {
      return Promise.resolve(registry.add(topicOf(channel, key), listener, signal, () => undefined).remove);
    },
    onRecover: (listener, signal) => registry.onRecover(listener, signal),
    health: () => "ok",
    listenerCount: () => registry.size,
    close: () => Promise.resolve(),
  };
}
