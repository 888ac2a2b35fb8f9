import { Redis } from "ioredis";
import superjson from "superjson";
import type { Logger } from "../logger";
import { metrics } from "../metrics";
import { ListenerRegistry, topicOf, type EventBus } from "./event-bus";

/**
 * Live events across processes over Redis pub/sub. Each event is serialized once when published
 * and parsed once per receiving process, then fanned out locally. Publishing never waits for or
 * fails on Redis: an event that cannot be published is dropped (and logged). Whenever events may
 * have been lost — this process's subscriber connection came back, or its publisher dropped events
 * and is back — every process is told, and each subscription catches up from the database.
 */
export function createRedisBus(options: { url: string; prefix: string; log: Logger }): EventBus {
  const { prefix, log } = options;
  const registry = new ListenerRegistry();
  const publisher = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(options.url, { maxRetriesPerRequest: null });
  const pending = new Map<string, Promise<void>>();
  const resyncChannel = `${prefix}bus:resync`;
  let degraded = false;
  let dropped = 0;
  let droppedSinceReady = 0;

  subscriber.on("close", () => {
    if (!degraded) log.error("Redis connection lost: live events cannot cross processes until it is back");
    degraded = true;
  });
  subscriber.on("ready", () => {
    if (!degraded) return;
    degraded = false;
    log.warn({ dropped }, "Redis is back: live delivery resumed; subscribers catch up from the database");
    dropped = 0;
    registry.recovered();
  });
  publisher.on("ready", () => {
    if (droppedSinceReady === 0) return;
    droppedSinceReady = 0;
    // Other processes missed what this one could not publish; they cannot tell on their own.
    publisher.publish(resyncChannel, "1").catch(() => undefined);
  });
  publisher.on("error", () => undefined);
  subscriber.on("error", () => undefined);
  subscriber.subscribe(resyncChannel).catch((err: unknown) => log.warn({ err }, "Redis subscribe failed"));

  subscriber.on("messageBuffer", (channel: Buffer, payload: Buffer) => {
    if (channel.toString() === resyncChannel) {
      registry.recovered();
      return;
    }
    const topic = channel.toString().slice(prefix.length);
    if (!registry.has(topic)) return;
    const envelope = superjson.parse<{ at: number; event: unknown }>(payload.toString());
    metrics.busLag.observe(Math.max(0, Date.now() - envelope.at) / 1000);
    registry.deliver(topic, envelope.event);
  });

  return {
    publish(channel, key, event) {
      metrics.eventsPublished.inc({ channel });
      // Serialized once per publish, whatever the number of receivers; stamped to measure bus lag.
      const payload = superjson.stringify({ at: Date.now(), event });
      publisher.publish(prefix + topicOf(channel, key), payload).catch((err: unknown) => {
        dropped++;
        droppedSinceReady++;
        if (dropped === 1 || dropped % 1000 === 0) log.warn({ err, dropped }, "live event not published");
      });
      return Promise.resolve();
    },

    async subscribe(channel, key, listener, signal) {
      const topic = topicOf(channel, key);
      const { first, remove } = registry.add(topic, listener, signal, () => {
        pending.delete(topic);
        subscriber.unsubscribe(prefix + topic).catch(() => undefined);
      });
      if (first) {
        pending.set(
          topic,
          subscriber.subscribe(prefix + topic).then(
            () => undefined,
            (err: unknown) => log.warn({ err, topic }, "Redis subscribe failed; relying on resubscribe"),
          ),
        );
      }
      await pending.get(topic);
      return remove;
    },

    onRecover: (listener, signal) => registry.onRecover(listener, signal),
    health: () => (degraded || publisher.status !== "ready" ? "degraded" : "ok"),
    listenerCount: () => registry.size,
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
