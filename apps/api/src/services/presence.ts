import { users, type Database } from "@murmur/db";
import { eq } from "drizzle-orm";
import type { EventBus } from "../bus/event-bus";
import type { Logger } from "../logger";
import type { DmService } from "./dm";
import type { RoomService } from "./rooms";
import type { TypingService } from "./typing";

/**
 * Online while at least one connection is open. Transitions for one user run one at a time, so a
 * quick connect-disconnect cannot leave the database saying "online" with no connection.
 */
export function createPresenceService(deps: {
  db: Database;
  bus: EventBus;
  log: Logger;
  rooms: RoomService;
  dm: DmService;
  typing: TypingService;
}) {
  const { db, bus, log } = deps;
  const connections = new Map<string, number>();
  const chains = new Map<string, Promise<void>>();

  function serial(userId: string, step: () => Promise<void>) {
    const next = (chains.get(userId) ?? Promise.resolve()).then(step).catch((err: unknown) => {
      log.error({ err, userId }, "presence update failed");
    });
    chains.set(userId, next);
    void next.then(() => {
      if (chains.get(userId) === next) chains.delete(userId);
    });
    return next;
  }

  async function announce(user: { id: string; username: string }, isOnline: boolean) {
    const lastSeen = isOnline ? null : new Date();
    const [row] = await db
      .update(users)
      .set(isOnline ? { isOnline: true } : { isOnline: false, lastSeen: lastSeen ?? new Date() })
      .where(eq(users.id, user.id))
      .returning({ lastSeen: users.lastSeen });
    const [roomIds, dmPeerIds] = await Promise.all([deps.rooms.myRoomIds(user.id), deps.dm.peerIds(user.id)]);
    await bus.publish("presence", "all", {
      userId: user.id,
      username: user.username,
      isOnline,
      lastSeen: row?.lastSeen ?? lastSeen,
      roomIds,
      dmPeerIds,
    });
  }

  return {
    connected(user: { id: string; username: string }) {
      const count = (connections.get(user.id) ?? 0) + 1;
      connections.set(user.id, count);
      if (count === 1) return serial(user.id, () => announce(user, true));
      return Promise.resolve();
    },

    disconnected(user: { id: string; username: string }) {
      const count = (connections.get(user.id) ?? 1) - 1;
      if (count > 0) {
        connections.set(user.id, count);
        return Promise.resolve();
      }
      connections.delete(user.id);
      return serial(user.id, async () => {
        if (connections.has(user.id)) return;
        await deps.typing.clear(user);
        await announce(user, false);
      });
    },

    /** After a crash no connection survives: nobody is online until they reconnect. */
    async resetStale() {
      await db.update(users).set({ isOnline: false, lastSeen: new Date() }).where(eq(users.isOnline, true));
    },

    /** Resolves when every pending presence update has been written and announced. */
    async settled() {
      await Promise.all(chains.values());
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
