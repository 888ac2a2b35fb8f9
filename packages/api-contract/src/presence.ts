import { z } from "zod";
import { idSchema } from "./common";

export const TYPING_TTL_MS = 5_000;
/** The web client refreshes "typing" at most this often while the user types. */
export const TYPING_REFRESH_MS = 2_000;

const conversation = z.union([z.object({ roomId: idSchema }), z.object({ peerId: idSchema })]);

export const typingTargetInput = conversation;
export const setTypingInput = z.union([
  z.object({ roomId: idSchema, isTyping: z.boolean() }),
  z.object({ peerId: idSchema, isTyping: z.boolean() }),
]);

/** Who is typing in a conversation now, never including the watcher. */
export interface TypingState {
  typing: { id: string; username: string }[];
}

export interface PresenceChange {
  userId: string;
  username: string;
  isOnline: boolean;
  lastSeen: Date | null;
}

/**
 * What `presence.on` sends: "listening" first, once its listeners are in place (tRPC's "started"
 * comes before them), and again after the bus recovers from an outage, then changes. A read made on
 * receiving "listening" sees every change before it.
 */
export type PresenceItem = { type: "listening" } | ({ type: "change" } & PresenceChange);
