import type { MurmurClient, RouterInputs } from "@murmur/client";
import type { Message } from "@murmur/api-contract";
import { vi } from "vitest";

export interface RoomFeed {
  messages: Message[];
  eventIds: string[];
  errors: unknown[];
  completed: boolean;
  started: Promise<void>;
  stop(): void;
}

/** Subscribes to a room's live messages and records everything that arrives. */
export function watchRoom(client: MurmurClient, input: RouterInputs["messages"]["onRoom"]): RoomFeed {
  let markStarted: () => void = () => undefined;
  const feed: RoomFeed = {
    messages: [],
    eventIds: [],
    errors: [],
    completed: false,
    started: new Promise<void>((resolve) => {
      markStarted = resolve;
    }),
    stop: () => subscription.unsubscribe(),
  };
  const subscription = client.api.messages.onRoom.subscribe(input, {
    onStarted: () => markStarted(),
    onData: (event) => {
      feed.eventIds.push(event.id);
      feed.messages.push(event.data);
    },
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
