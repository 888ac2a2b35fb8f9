import type { MurmurClient, RouterInputs } from "@murmur/client";
import type { Message, PresenceChange, PresenceItem } from "@murmur/api-contract";
import { vi } from "vitest";

export interface Feed<T> {
  items: T[];
  errors: unknown[];
  completed: boolean;
  started: Promise<void>;
  stop(): void;
}

interface Handlers<T> {
  onStarted: () => void;
  onData: (data: T) => void;
  onError: (error: unknown) => void;
  onComplete: () => void;
}

/** Records everything a subscription yields, its errors and whether it ended. */
export function record<T>(subscribe: (handlers: Handlers<T>) => { unsubscribe(): void }): Feed<T> {
  let markStarted: () => void = () => undefined;
  const feed: Feed<T> = {
    items: [],
    errors: [],
    completed: false,
    started: new Promise<void>((resolve) => {
      markStarted = resolve;
    }),
    stop: () => subscription.unsubscribe(),
  };
  const subscription = subscribe({
    onStarted: () => markStarted(),
    onData: (data) => feed.items.push(data),
    onError: (error) => {
      feed.errors.push(error);
      markStarted();
    },
    onComplete: () => {
      feed.completed = true;
    },
  });
  return feed;
}

export interface PresenceFeed extends Feed<PresenceItem> {
  /** The changes, without the "listening" item. */
  readonly changes: PresenceChange[];
  /** Settles once the stream is listening (a change made after that is sure to arrive), or fails. */
  readonly listening: Promise<void>;
}

/** Watches presence; wait for `listening`, not `started` (which comes first), before changing it. */
export function watchPresence(client: MurmurClient): PresenceFeed {
  let markListening: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => {
    markListening = resolve;
  });
  const feed = record<PresenceItem>((handlers) =>
    client.api.presence.on.subscribe(undefined, {
      ...handlers,
      onData: (item) => {
        handlers.onData(item);
        if (item.type === "listening") markListening();
      },
      onError: (error) => {
        handlers.onError(error);
        markListening();
      },
    }),
  );
  return Object.defineProperties(feed, {
    changes: { get: () => feed.items.flatMap((item) => (item.type === "change" ? [item] : [])) },
    listening: { value: listening },
  }) as PresenceFeed;
}

export interface RoomFeed extends Feed<{ id: string; data: Message }> {
  readonly messages: Message[];
  readonly eventIds: string[];
}

/**
 * Subscribes to a room's live messages and records everything that arrives. Without a lastEventId
 * it starts from the room's newest message, as the web app does, so nothing sent after this call
 * is missed however long the server takes to set the subscription up.
 */
export function watchRoom(client: MurmurClient, input: RouterInputs["messages"]["onRoom"]): RoomFeed {
  const feed = record<{ id: string; data: Message }>((handlers) => {
    let subscription: { unsubscribe(): void } | undefined;
    let stopped = false;
    const start = (lastEventId: string | null | undefined) => {
      if (!stopped) subscription = client.api.messages.onRoom.subscribe({ ...input, lastEventId }, handlers);
    };
    if (input.lastEventId !== undefined) start(input.lastEventId);
    else {
      // Outsiders cannot read the room; they subscribe anyway, to be refused.
      client.api.rooms.get.query({ roomId: input.roomId }).then(
        (room) => start(String(room.lastSeq)),
        () => start(undefined),
      );
    }
    return {
      unsubscribe() {
        stopped = true;
        subscription?.unsubscribe();
      },
    };
  });
  return Object.defineProperties(feed, {
    messages: { get: () => feed.items.map((e) => e.data) },
    eventIds: { get: () => feed.items.map((e) => e.id) },
  }) as RoomFeed;
}

export async function until(condition: () => boolean, timeout = 10_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!condition()) throw new Error("condition not met yet");
    },
    { timeout, interval: 10 },
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let counter = 0;
export const clientId = () => `c${Date.now().toString(36)}${(counter++).toString(36)}`;
