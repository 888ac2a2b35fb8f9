import { TYPING_TTL_MS, type TypingState } from "@murmur/api-contract";
import type { EventBus } from "../bus/event-bus";
import type { DmService } from "./dm";
import type { TypingEntry, TypingStore } from "../stores/typing-store";
import type { RoomService } from "./rooms";

export type TypingTarget = { roomId: string } | { peerId: string };

/**
 * Who is typing where. Entries expire TYPING_TTL_MS after their last refresh; watchers also expire
 * them on their own clock, so a typist whose process vanished does not stay "typing" forever.
 */
export function createTypingService({
  bus,
  rooms,
  dm,
  store,
}: {
  bus: EventBus;
  rooms: RoomService;
  dm: DmService;
  store: TypingStore;
}) {
  const keyOf = (userId: string, target: TypingTarget) => {
    if ("roomId" in target) return `room:${target.roomId}`;
    const [a, b] = userId < target.peerId ? [userId, target.peerId] : [target.peerId, userId];
    return `dm:${a}:${b}`;
  };

  /** The conversation's key, once the user is shown to belong to it. */
  async function authorize(userId: string, target: TypingTarget): Promise<string> {
    if ("roomId" in target) await rooms.assertMember(userId, target.roomId);
    else {
      await dm.findPeer(target.peerId);
      await dm.assertMayMessage(userId, target.peerId);
    }
    return keyOf(userId, target);
  }

  async function set(user: { id: string; username: string }, target: TypingTarget, isTyping: boolean) {
    const key = await authorize(user.id, target);
    if (isTyping) await store.set(key, user.id, { username: user.username, expiresAt: Date.now() + TYPING_TTL_MS });
    else await store.remove(key, user.id);
    await bus.publish("typing", key, { userId: user.id, username: user.username, isTyping });
  }

  /** Clears the user's typing in one conversation (they sent a message) or everywhere (they went offline). */
  async function clear(user: { id: string; username: string }, target?: TypingTarget) {
    const keys = target ? [keyOf(user.id, target)] : await store.keysOf(user.id);
    for (const key of keys) {
      if (await store.remove(key, user.id)) {
        await bus.publish("typing", key, { userId: user.id, username: user.username, isTyping: false });
      }
    }
  }

  return { authorize, set, clear, current: (key: string) => store.current(key), keyOf };
}

export type TypingService = ReturnType<typeof createTypingService>;

/** A watcher's view of one conversation: applies events, expires stale entries, hides the watcher. */
export class TypingView {
  private readonly entries: Map<string, TypingEntry>;

  constructor(
    private readonly viewerId: string,
    initial: Map<string, TypingEntry>,
  ) {
    this.entries = new Map(initial);
  }

  apply(event: { userId: string; username: string; isTyping: boolean }, now = Date.now()): void {
    if (event.isTyping) this.entries.set(event.userId, { username: event.username, expiresAt: now + TYPING_TTL_MS });
    else this.entries.delete(event.userId);
  }

  expire(now = Date.now()): void {
    for (const [userId, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(userId);
  }

  /** Milliseconds until the next entry expires, or null when nobody is typing. */
  nextExpiryIn(now = Date.now()): number | null {
    let soonest: number | null = null;
    for (const entry of this.entries.values()) soonest = Math.min(soonest ?? Infinity, entry.expiresAt - now);
    return soonest === null ? null : Math.max(0, soonest);
  }

  state(): TypingState {
    return {
      typing: [...this.entries]
        .filter(([userId]) => userId !== this.viewerId)
        .map(([id, entry]) => ({ id, username: entry.username }))
        .sort((a, b) => a.username.localeCompare(b.username)),
    };
  }
}
