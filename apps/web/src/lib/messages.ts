import type { Message } from "@murmur/api-contract";
import { dayKey } from "./time";

/**
 * "queued": written while the connection is down, waiting for it to come back.
 * "waiting": held back while the server's rate limit is in force; it goes by itself afterwards.
 */
export type MessageStatus = "queued" | "waiting" | "sending" | "sent" | "failed";

/** A message not yet acknowledged by the server, shown at once so sending feels instant. */
export interface PendingMessage {
  clientMessageId: string;
  content: string;
  status: Exclude<MessageStatus, "sent">;
  createdAt: Date;
  error: string | null;
}

/** What a room message and a DM have in common, as far as the message list is concerned. */
export type StoredMessage = Pick<
  Message,
  "id" | "seq" | "sender" | "content" | "messageType" | "clientMessageId" | "createdAt"
>;

/** What the list renders: a stored message or a pending one, told apart by `status`. */
export interface ChatMessage {
  key: string;
  seq: number | null;
  sender: Message["sender"];
  content: string;
  messageType: Message["messageType"];
  clientMessageId: string | null;
  createdAt: Date;
  status: MessageStatus;
  error: string | null;
}

export type ChatRow =
  { kind: "day"; key: string; date: Date } | { kind: "message"; key: string; message: ChatMessage; grouped: boolean };

/** Messages from history and live, each once (by id), in the room's order (by seq). */
export function mergeMessages<T extends { id: string; seq: number }>(...sources: readonly (readonly T[])[]): T[] {
  const byId = new Map<string, T>();
  for (const source of sources) for (const message of source) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export function toChatMessages(
  stored: readonly StoredMessage[],
  pending: readonly PendingMessage[],
  me: { id: string; username: string },
): ChatMessage[] {
  const acknowledged = new Set<string>();
  const rows: ChatMessage[] = stored.map((m) => {
    if (m.clientMessageId && m.sender?.id === me.id) acknowledged.add(m.clientMessageId);
    return {
      key: m.id,
      seq: m.seq,
      sender: m.sender,
      content: m.content,
      messageType: m.messageType,
      clientMessageId: m.clientMessageId,
      createdAt: m.createdAt,
      status: "sent",
      error: null,
    };
  });
  for (const p of pending) {
    // The live stream can deliver our own message before the send call returns.
    if (acknowledged.has(p.clientMessageId)) continue;
    rows.push({
      key: `pending:${p.clientMessageId}`,
      seq: null,
      sender: { id: me.id, username: me.username },
      content: p.content,
      messageType: "text",
      clientMessageId: p.clientMessageId,
      createdAt: p.createdAt,
      status: p.status,
      error: p.error,
    });
  }
  return rows;
}

const GROUP_WINDOW_MS = 5 * 60_000;

/** Adds day separators and marks messages that continue the previous sender's run. */
export function toRows(messages: readonly ChatMessage[]): ChatRow[] {
  const rows: ChatRow[] = [];
  let prev: ChatMessage | undefined;
  for (const message of messages) {
    const newDay = !prev || dayKey(prev.createdAt) !== dayKey(message.createdAt);
    if (newDay) rows.push({ kind: "day", key: `day:${dayKey(message.createdAt)}`, date: message.createdAt });
    const grouped =
      !newDay &&
      prev !== undefined &&
      prev.messageType === "text" &&
      message.messageType === "text" &&
      prev.sender !== null &&
      prev.sender.id === message.sender?.id &&
      message.createdAt.getTime() - prev.createdAt.getTime() < GROUP_WINDOW_MS;
    rows.push({ kind: "message", key: message.key, message, grouped });
    prev = message;
  }
  return rows;
}

/** A fresh id per message; kept across retries so the server stores a retried send once. */
export function newClientMessageId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID exists only in secure contexts; a LAN server reached over plain http is not one.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
