import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { EventBus } from "./bus/event-bus";
import { createMemoryBus } from "./bus/memory-bus";
import { createRedisBus } from "./bus/redis-bus";
import type { Logger } from "./logger";
import { memoryLimiters, type LimiterFactory } from "./rate-limits";
import { createMemoryPresenceStore, createRedisPresenceStore, type PresenceStore } from "./stores/presence-store";
import { createMemoryTypingStore, createRedisTypingStore, type TypingStore } from "./stores/typing-store";

/** What several processes must share to act as one server: live events, presence, typing, limits. */
export interface Infrastructure {
  kind: "memory" | "redis";
  bus: EventBus;
  limiters: LimiterFactory;
  presenceStore: PresenceStore;
  typingStore: TypingStore;
  /** Pings the shared store; resolves when it answers. */
  ping(): Promise<void>;
  /** Resolves once connected, or after a few seconds in which it could not be (the server then starts degraded). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** How long a process may miss heartbeats before its users are taken offline by the others. */
export const PRESENCE_TTL_MS = 15_000;
export const PRESENCE_SWEEP_MS = 5_000;

export function createMemoryInfrastructure(): Infrastructure {
  return {
    kind: "memory",
    bus: createMemoryBus(),
    limiters: memoryLimiters,
    presenceStore: createMemoryPresenceStore(),
    typingStore: createMemoryTypingStore(),
    ping: () => Promise.resolve(),
    ready: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

export function createRedisInfrastructure(options: {
  url: string;
  prefix: string;
  log: Logger;
  typingTtlMs: number;
}): Infrastructure {
  const { url, prefix, log } = options;
  // Commands fail fast during an outage instead of queueing without bound; callers degrade.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on("error", () => undefined);
  const presenceStore = createRedisPresenceStore({ redis, prefix, ttlMs: PRESENCE_TTL_MS });
  const heartbeat = () =>
    presenceStore.heartbeat().catch((err: unknown) => log.warn({ err }, "presence heartbeat failed"));
  redis.on("ready", () => void heartbeat());
  const timer = setInterval(() => void heartbeat(), PRESENCE_TTL_MS / 3);
  timer.unref();

  const limiters: LimiterFactory = (opts) =>
    new RateLimiterRedis({
      ...opts,
      keyPrefix: `${prefix}rl:${opts.keyPrefix}`,
      storeClient: redis,
      // While Redis is away, each process limits on its own rather than letting everything through.
      insuranceLimiter: new RateLimiterMemory(opts),
    });

  return {
    kind: "redis",
    bus: createRedisBus({ url, prefix, log }),
    limiters,
    presenceStore,
    typingStore: createRedisTypingStore({ redis, prefix, ttlMs: options.typingTtlMs, log }),
    async ping() {
      await redis.ping();
    },
    ready: () =>
      new Promise<void>((resolve) => {
        if (redis.status === "ready") return resolve();
        const timer = setTimeout(() => {
          log.error("Redis is not answering; starting degraded and retrying in the background");
          resolve();
        }, 5_000);
        redis.once("ready", () => {
          clearTimeout(timer);
          resolve();
        });
      }),
    async close() {
      clearInterval(timer);
      await presenceStore.close().catch(() => undefined);
      redis.disconnect();
    },
  };
}
