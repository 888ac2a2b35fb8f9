import type { Redis } from "ioredis";
import type { Logger } from "../logger";

export interface TypingEntry {
  username: string;
  expiresAt: number;
}

/** Who is typing in each conversation, shared by every process when Redis is configured. */
export interface TypingStore {
  set(key: string, userId: string, entry: TypingEntry): Promise<void>;
  /** Returns whether the user was typing there. */
  remove(key: string, userId: string): Promise<boolean>;
  current(key: string): Promise<Map<string, TypingEntry>>;
  keysOf(userId: string): Promise<string[]>;
}

const live = (entries: Iterable<[string, TypingEntry]>) => {
  const now = Date.now();
  return new Map([...entries].filter(([, e]) => e.expiresAt > now));
};

export function createMemoryTypingStore(): TypingStore {
  const byKey = new Map<string, Map<string, TypingEntry>>();
  const keysByUser = new Map<string, Set<string>>();
  return {
    set(key, userId, entry) {
      const entries = byKey.get(key) ?? new Map<string, TypingEntry>();
      byKey.set(key, entries);
      entries.set(userId, entry);
      const keys = keysByUser.get(userId) ?? new Set<string>();
      keysByUser.set(userId, keys);
      keys.add(key);
      return Promise.resolve();
    },
    remove(key, userId) {
      const entries = byKey.get(key);
      const removed = entries?.delete(userId) ?? false;
      if (entries?.size === 0) byKey.delete(key);
      const keys = keysByUser.get(userId);
      keys?.delete(key);
      if (keys?.size === 0) keysByUser.delete(userId);
      return Promise.resolve(removed);
    },
    current: (key) => Promise.resolve(live(byKey.get(key) ?? [])),
    keysOf: (userId) => Promise.resolve([...(keysByUser.get(userId) ?? [])]),
  };
}

/**
 * Typing is ephemeral: while Redis is away it is simply not shown, and nothing else fails because
 * of it, so every operation here degrades to "nobody is typing" instead of throwing.
 */
export function createRedisTypingStore(options: {
  redis: Redis;
  prefix: string;
  ttlMs: number;
  log: Logger;
}): TypingStore {
  const { redis, prefix, ttlMs, log } = options;
  const degrade =
    <T>(fallback: T) =>
    (err: unknown): T => {
      log.debug({ err }, "typing state unavailable");
      return fallback;
    };
  const hash = (key: string) => `${prefix}typing:${key}`;
  const userKeys = (userId: string) => `${prefix}typing-of:${userId}`;
  return {
    async set(key, userId, entry) {
      await redis
        .multi()
        .hset(hash(key), userId, JSON.stringify(entry))
        .pexpire(hash(key), ttlMs * 2)
        .sadd(userKeys(userId), key)
        .pexpire(userKeys(userId), ttlMs * 2)
        .exec()
        .catch(degrade(null));
    },
    async remove(key, userId) {
      const result = await redis
        .multi()
        .hdel(hash(key), userId)
        .srem(userKeys(userId), key)
        .exec()
        .catch(degrade(null));
      return Number(result?.[0]?.[1] ?? 0) > 0;
    },
    async current(key) {
      const raw = await redis.hgetall(hash(key)).catch(degrade({}));
      return live(Object.entries(raw).map(([userId, json]) => [userId, JSON.parse(json) as TypingEntry]));
    },
    keysOf: (userId) => redis.smembers(userKeys(userId)).catch(degrade([])),
  };
}
