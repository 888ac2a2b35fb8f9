import { users, type Database } from "@murmur/db";
import { and, eq, inArray, notInArray } from "drizzle-orm";
import type { EventBus } from "../bus/event-bus";
import type { Logger } from "../logger";
import type { PresenceStore } from "../stores/presence-store";
import type { DmService } from "./dm";
import type { RoomService } from "./rooms";
import type { TypingService } from "./typing";

/**
 * Online while at least one connection is open anywhere. Transitions for one user run one at a
 * time in this process, so a quick connect-disconnect cannot leave "online" with no connection.
 */
export function createPresenceService(deps: {
  db: Database;
  bus: EventBus;
  log: Logger;
  store: PresenceStore;
  rooms: RoomService;
  dm: DmService;
  typing: TypingService;
}) {
  const { db, bus, log, store } = deps;
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
    const now = new Date();
    const [row] = await db
      .update(users)
      .set(isOnline ? { isOnline: true } : { isOnline: false, lastSeen: now })
      .where(eq(users.id, user.id))
      .returning({ lastSeen: users.lastSeen });
    const [roomIds, dmPeerIds] = await Promise.all([deps.rooms.myRoomIds(user.id), deps.dm.peerIds(user.id)]);
    await bus.publish("presence", "all", {
      userId: user.id,
      username: user.username,
      isOnline,
      lastSeen: row?.lastSeen ?? null,
      roomIds,
      dmPeerIds,
    });
  }

  async function goneOffline(user: { id: string; username: string }) {
    await deps.typing.clear(user);
    await announce(user, false);
  }

  return {
    connected(user: { id: string; username: string }) {
      return serial(user.id, async () => {
        if ((await store.connect(user.id)) === 1) await announce(user, true);
      });
    },

    disconnected(user: { id: string; username: string }) {
      return serial(user.id, async () => {
        if ((await store.disconnect(user.id)) === 0) await goneOffline(user);
      });
    },

    /** Takes offline the users whose only connections were on a process that died. */
    async sweep() {
      const gone = await store.sweep();
      if (gone.length === 0) return;
      const rows = await db
        .select({ id: users.id, username: users.username })
        .from(users)
        .where(inArray(users.id, gone));
      await Promise.all(rows.map((user) => serial(user.id, () => goneOffline(user))));
    },

    /** After a crash no connection of this process survives: nobody is online unless connected elsewhere. */
    async resetStale() {
      const online = await store.onlineUserIds();
      await db
        .update(users)
        .set({ isOnline: false, lastSeen: new Date() })
        .where(and(eq(users.isOnline, true), online.length ? notInArray(users.id, online) : undefined));
    },

    /** Resolves when every pending presence update has been written and announced. */
    async settled() {
      await Promise.all(chains.values());
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
