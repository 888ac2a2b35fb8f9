import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** Who has how many open connections, across every process serving the site. */
export interface PresenceStore {
  /** Counts a new connection; returns the user's connections everywhere, this one included. */
  connect(userId: string): Promise<number>;
  /** Forgets a connection; returns what remains everywhere. */
  disconnect(userId: string): Promise<number>;
  /** Users left with no connection because the processes holding them stopped (crashed). */
  sweep(): Promise<string[]>;
  /** Users with at least one live connection anywhere. */
  onlineUserIds(): Promise<string[]>;
  close(): Promise<void>;
}

export function createMemoryPresenceStore(): PresenceStore {
  const counts = new Map<string, number>();
  return {
    connect(userId) {
      const total = (counts.get(userId) ?? 0) + 1;
      counts.set(userId, total);
      return Promise.resolve(total);
    },
    disconnect(userId) {
      const total = Math.max(0, (counts.get(userId) ?? 1) - 1);
      if (total === 0) counts.delete(userId);
      else counts.set(userId, total);
      return Promise.resolve(total);
    },
    sweep: () => Promise.resolve([]),
    onlineUserIds: () => Promise.resolve([...counts.keys()]),
    close: () => Promise.resolve(),
  };
}

// Per user, a hash of process id → connections; the sum is the user's total, computed atomically.
const CONNECT = `
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('SADD', KEYS[2], ARGV[2])
local total = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do total = total + tonumber(v) end
return total`;

const DISCONNECT = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[2])
end
local total = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do total = total + tonumber(v) end
return total`;

// Drops a dead process's share of one user; returns what the user has left elsewhere.
const FORGET_PROCESS = `
redis.call('HDEL', KEYS[1], ARGV[1])
local total = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do total = total + tonumber(v) end
return total`;

/**
 * Presence shared by every process: each process heartbeats a key with a TTL, so when one dies
 * its connections are swept by the others within `ttlMs` plus one sweep interval.
 */
export function createRedisPresenceStore(options: {
  redis: Redis;
  prefix: string;
  ttlMs: number;
  processId?: string;
}): PresenceStore & { heartbeat(): Promise<void> } {
  const { redis, prefix, ttlMs } = options;
  const me = options.processId ?? randomUUID();
  const conns = (userId: string) => `${prefix}presence:conns:${userId}`;
  const usersOf = (processId: string) => `${prefix}presence:users:${processId}`;
  const alive = (processId: string) => `${prefix}presence:alive:${processId}`;
  const processes = `${prefix}presence:processes`;

  return {
    async heartbeat() {
      await redis.multi().set(alive(me), "1", "PX", ttlMs).sadd(processes, me).exec();
    },
    async connect(userId) {
      return Number(await redis.eval(CONNECT, 2, conns(userId), usersOf(me), me, userId));
    },
    async disconnect(userId) {
      return Number(await redis.eval(DISCONNECT, 2, conns(userId), usersOf(me), me, userId));
    },
    async sweep() {
      const gone: string[] = [];
      for (const processId of await redis.smembers(processes)) {
        if (processId === me || (await redis.exists(alive(processId)))) continue;
        // One sweeper per dead process, so each user is announced offline once.
        if ((await redis.set(`${prefix}presence:sweeping:${processId}`, me, "PX", ttlMs, "NX")) !== "OK") continue;
        for (const userId of await redis.smembers(usersOf(processId))) {
          const left = Number(await redis.eval(FORGET_PROCESS, 1, conns(userId), processId));
          if (left === 0) gone.push(userId);
        }
        await redis.multi().del(usersOf(processId)).srem(processes, processId).exec();
      }
      return gone;
    },
    async onlineUserIds() {
      const ids: string[] = [];
      const pattern = `${prefix}presence:conns:*`;
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
        cursor = next;
        ids.push(...keys.map((k) => k.slice(pattern.length - 1)));
      } while (cursor !== "0");
      return ids;
    },
    async close() {
      // A clean stop hands its users over at once instead of waiting for the TTL.
      await redis.multi().del(alive(me)).exec();
    },
  };
}
