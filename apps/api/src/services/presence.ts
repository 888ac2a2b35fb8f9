import { dmConversations, roomMembers, users, type Database } from "@murmur/db";
import { and, eq, inArray, notInArray, or } from "drizzle-orm";
import type { EventBus } from "../bus/event-bus";
import type { Logger } from "../logger";
import type { PresenceStore } from "../stores/presence-store";
import type { TypingService } from "./typing";

/** How long presence changes gather before they are written and announced together. */
const PRESENCE_BATCH_MS = 10;

/**
 * Online while at least one connection is open anywhere. Transitions for one user run one at a
 * time in this process, so a quick connect-disconnect cannot leave "online" with no connection.
 */
export function createPresenceService(deps: {
  db: Database;
  bus: EventBus;
  log: Logger;
  store: PresenceStore;
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

  /**
   * Presence changes are written and announced in batches: a restart brings thousands of users
   * back (or a dying process takes them away) at once, and per-user queries would pile up behind
   * everything else. Each caller still waits for its own change to be announced.
   */
  type Change = { user: { id: string; username: string }; isOnline: boolean; done: () => void };
  let pending: Change[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let scheduled = false;

  async function write(batch: Change[]) {
    const ids = [...new Set(batch.map((c) => c.user.id))];
    const latest = new Map(batch.map((c) => [c.user.id, c]));
    const online = [...latest.values()].filter((c) => c.isOnline).map((c) => c.user.id);
    const offline = [...latest.values()].filter((c) => !c.isOnline).map((c) => c.user.id);
    if (online.length) await db.update(users).set({ isOnline: true }).where(inArray(users.id, online));
    const seen = offline.length
      ? await db
          .update(users)
          .set({ isOnline: false, lastSeen: new Date() })
          .where(inArray(users.id, offline))
          .returning({ id: users.id, lastSeen: users.lastSeen })
      : [];
    const lastSeen = new Map(seen.map((r) => [r.id, r.lastSeen]));
    const [memberships, conversations] = await Promise.all([
      db
        .select({ userId: roomMembers.userId, roomId: roomMembers.roomId })
        .from(roomMembers)
        .where(inArray(roomMembers.userId, ids)),
      db
        .select({ a: dmConversations.userA, b: dmConversations.userB })
        .from(dmConversations)
        .where(or(inArray(dmConversations.userA, ids), inArray(dmConversations.userB, ids))),
    ]);
    for (const change of latest.values()) {
      const id = change.user.id;
      await bus.publish("presence", "all", {
        userId: id,
        username: change.user.username,
        isOnline: change.isOnline,
        lastSeen: change.isOnline ? null : (lastSeen.get(id) ?? null),
        roomIds: memberships.filter((m) => m.userId === id).map((m) => m.roomId),
        dmPeerIds: conversations.flatMap((c) => (c.a === id ? [c.b] : c.b === id ? [c.a] : [])),
      });
    }
  }

  function announce(user: { id: string; username: string }, isOnline: boolean): Promise<void> {
    return new Promise((done) => {
      pending.push({ user, isOnline, done });
      if (scheduled) return;
      scheduled = true;
      flushing = flushing.then(async () => {
        await new Promise((resolve) => setTimeout(resolve, PRESENCE_BATCH_MS));
        scheduled = false;
        const batch = pending;
        pending = [];
        await write(batch).catch((err: unknown) => log.error({ err, users: batch.length }, "presence update failed"));
        for (const change of batch) change.done();
      });
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
      await flushing;
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
