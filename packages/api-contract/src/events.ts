import type { Message } from "./messages";

/** What travels on a room's live channel. */
export type RoomEvent =
  { kind: "message"; roomId: string; message: Message } | { kind: "member-left"; roomId: string; userId: string };

/** The event bus's channels, each with the one event type it carries. */
export interface BusChannels {
  room: RoomEvent;
}
