import type { DmEvent } from "./dm";
import type { Message } from "./messages";
import type { PresenceChange } from "./presence";

/** What travels on a room's live channel. */
export type RoomEvent =
  | { kind: "message"; roomId: string; message: Message }
  | { kind: "member-left"; roomId: string; userId: string }
  | { kind: "room-deleted"; roomId: string };

/** What travels on one user's channel: their DM stream (numbered) and notices for their other tabs. */
export type UserEvent =
  | { kind: "dm"; eventSeq: number; event: DmEvent }
  | { kind: "rooms-changed" }
  | { kind: "room-read"; roomId: string; lastReadSeq: number };

/** A user came online or went offline; carries where they are so watchers can tell if it concerns them. */
export interface PresenceEvent extends PresenceChange {
  roomIds: string[];
  dmPeerIds: string[];
}

/** Someone started or stopped typing in a conversation (key: "room:<id>" or "dm:<a>:<b>"). */
export interface TypingEvent {
  userId: string;
  username: string;
  isTyping: boolean;
}

/** Sessions (by public id) that ended (logout, revocation, password change): every process forgets them and closes their sockets. */
export interface SessionsEndedEvent {
  sessionIds: string[];
}

/** The event bus's channels, each with the one event type it carries. */
export interface BusChannels {
  sessions: SessionsEndedEvent;
  room: RoomEvent;
  user: UserEvent;
  presence: PresenceEvent;
  typing: TypingEvent;
}
