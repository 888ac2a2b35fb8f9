import { messageSchema, type Message, type MessageType } from "@murmur/api-contract";
import { chatRooms, messages, roomMembers, users, type Database, type Transaction } from "@murmur/db";
import { and, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { metrics } from "../metrics";

/** A room's message log: every text and system message goes through `appendToRoom`. */

const sender = alias(users, "sender");

const messageColumns = {
  id: messages.id,
  roomId: messages.roomId,
  seq: messages.seq,
  senderId: messages.senderId,
  senderName: sender.username,
  content: messages.content,
  messageType: messages.messageType,
  clientMessageId: messages.clientMessageId,
  createdAt: messages.createdAt,
};

type MessageRecord = {
  id: string;
  roomId: string | null;
  seq: number;
  senderId: string | null;
  senderName: string | null;
  content: string;
  messageType: MessageType;
  clientMessageId: string | null;
  createdAt: Date;
};

// Field by field, so a row's other columns (receiver, read state) never reach a room's subscribers.
export const toMessage = (row: MessageRecord): Message => ({
  id: row.id,
  roomId: row.roomId,
  seq: row.seq,
  sender: row.senderId && row.senderName !== null ? { id: row.senderId, username: row.senderName } : null,
  content: row.content,
  messageType: row.messageType,
  clientMessageId: row.clientMessageId,
  createdAt: row.createdAt,
});

export const selectRoomMessages = (executor: Database | Transaction) =>
  executor.select(messageColumns).from(messages).leftJoin(sender, eq(sender.id, messages.senderId));

/**
 * Appends a message under the room's row lock: the sequence number is taken and the row written in
 * the caller's transaction, so numbers are gapless and their order is commit order. Returns null when
 * the sender already stored a message with this clientMessageId (the caller decides what that means).
 */
export async function appendToRoom(
  tx: Transaction,
  entry: {
    roomId: string;
    sender: { id: string; username: string };
    content: string;
    messageType?: MessageType;
    clientMessageId?: string | null;
  },
): Promise<Message | null> {
  const [room] = await tx
    .update(chatRooms)
    .set({ lastSeq: sql`${chatRooms.lastSeq} + 1`, lastActivityAt: sql`now()` })
    .where(eq(chatRooms.id, entry.roomId))
    .returning({ seq: chatRooms.lastSeq });
  if (!room) return null;
  const [row] = await tx
    .insert(messages)
    .values({
      roomId: entry.roomId,
      senderId: entry.sender.id,
      seq: room.seq,
      content: entry.content,
      messageType: entry.messageType ?? "text",
      clientMessageId: entry.clientMessageId ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  // What I wrote, I have read.
  await tx
    .update(roomMembers)
    .set({ lastReadSeq: room.seq })
    .where(and(eq(roomMembers.roomId, entry.roomId), eq(roomMembers.userId, entry.sender.id)));
  metrics.messagesStored.inc({ kind: entry.messageType === "system" ? "system" : "room" });
  // Validated once here, against the contract, before it can reach any subscriber.
  return messageSchema.parse(toMessage({ ...row, senderName: entry.sender.username }));
}

/** One message to store: the one-message path and the batches take the same. */
export interface SendEntry {
  roomId: string;
  senderId: string;
  content: string;
  clientMessageId: string;
}

/** What a send statement returns for one send; all null when nothing was inserted. */
export type AppendedRow = {
  username: string | null;
  id: string | null;
  seq: number | string | null;
  content: string | null;
  message_type: MessageType | null;
  client_message_id: string | null;
  created_at: Date | string | null;
};

/** The unique index that makes a repeated clientMessageId fail its insert. */
export const CLIENT_MESSAGE_ID_INDEX = "messages_sender_client_id_idx";

/**
 * The hot path of a send, in one statement and so one implicit transaction: check membership, take
 * the room's next number under its row lock, insert, and mark it read for the sender. One round
 * trip instead of six, and no query building per message. A repeated clientMessageId breaks
 * CLIENT_MESSAGE_ID_INDEX, which fails the whole statement, so the number it took is given back.
 */
export async function appendAsMember(db: Database, entry: SendEntry): Promise<Message | null> {
  const result = await db.execute<AppendedRow>(sql`
    WITH member AS (
      SELECT u.username FROM ${roomMembers} m JOIN ${users} u ON u.id = m.user_id
      WHERE m.room_id = ${entry.roomId} AND m.user_id = ${entry.senderId}
    ), bumped AS (
      UPDATE ${chatRooms} SET last_seq = last_seq + 1, last_activity_at = now()
      WHERE id = ${entry.roomId} AND EXISTS (SELECT 1 FROM member)
      RETURNING last_seq
    ), inserted AS (
      INSERT INTO ${messages} (room_id, sender_id, seq, content, message_type, client_message_id)
      SELECT ${entry.roomId}, ${entry.senderId}, last_seq, ${entry.content}, 'text', ${entry.clientMessageId} FROM bumped
      RETURNING id, seq, content, message_type, client_message_id, created_at
    ), marked AS (
      UPDATE ${roomMembers} SET last_read_seq = (SELECT seq FROM inserted)
      WHERE room_id = ${entry.roomId} AND user_id = ${entry.senderId} AND EXISTS (SELECT 1 FROM inserted)
    )
    SELECT (SELECT username FROM member) AS username, i.*
    FROM (SELECT 1) AS one LEFT JOIN inserted i ON true`);
  return appendedMessage(rowsOf<AppendedRow>(result)[0], entry);
}

/** postgres.js hands back the rows, PGlite a result holding them. */
export const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

/**
 * A stored send as the contract's Message, validated once here before it can reach any
 * subscriber; null when nothing was inserted (not a member, the room gone, or a repeat).
 */
export function appendedMessage(row: AppendedRow | undefined, entry: SendEntry): Message | null {
  if (!row?.username || !row.id || row.seq === null || !row.created_at || row.content === null || !row.message_type)
    return null;
  metrics.messagesStored.inc({ kind: "room" });
  return messageSchema.parse({
    id: row.id,
    roomId: entry.roomId,
    seq: Number(row.seq),
    sender: { id: entry.senderId, username: row.username },
    content: row.content,
    messageType: row.message_type,
    clientMessageId: row.client_message_id,
    createdAt: new Date(row.created_at),
  });
}

type PageRow = {
  member: boolean;
  id: string | null;
  seq: number | string | null;
  sender_id: string | null;
  username: string | null;
  content: string | null;
  message_type: MessageType | null;
  client_message_id: string | null;
  created_at: Date | string | null;
};

/**
 * A page of a room's history, newest first, before `before` — or null when the reader is not a
 * member. One statement (membership and page together, the same text every time so the driver
 * keeps it prepared): this is the query every room switch and scroll-up waits for.
 */
export async function pageAsMember(
  db: Database,
  query: { roomId: string; userId: string; before: number | null; limit: number },
): Promise<Message[] | null> {
  const isMember = sql`EXISTS (SELECT 1 FROM ${roomMembers} WHERE room_id = ${query.roomId} AND user_id = ${query.userId})`;
  const result = await db.execute<PageRow>(sql`
    SELECT ${isMember} AS member, p.*
    FROM (SELECT 1) AS one LEFT JOIN LATERAL (
      SELECT m.id, m.seq, m.sender_id, s.username, m.content, m.message_type, m.client_message_id, m.created_at
      FROM ${messages} m LEFT JOIN ${users} s ON s.id = m.sender_id
      WHERE m.room_id = ${query.roomId} AND m.seq < ${query.before ?? Number.MAX_SAFE_INTEGER} AND ${isMember}
      ORDER BY m.seq DESC
      LIMIT ${query.limit}
    ) AS p ON true
    ORDER BY p.seq DESC`);
  const rows = rowsOf<PageRow>(result);
  if (!rows[0]?.member) return null;
  return rows.flatMap((row) =>
    row.id && row.seq !== null && row.content !== null && row.message_type && row.created_at
      ? [
          toMessage({
            id: row.id,
            roomId: query.roomId,
            seq: Number(row.seq),
            senderId: row.sender_id,
            senderName: row.username,
            content: row.content,
            messageType: row.message_type,
            clientMessageId: row.client_message_id,
            createdAt: new Date(row.created_at),
          }),
        ]
      : [],
  );
}

/** The message at each room's given sequence number, by room id. */
export async function latestRoomMessages(db: Database, wanted: { roomId: string; seq: number }[]) {
  const present = wanted.filter((w) => w.seq > 0);
  if (present.length === 0) return new Map<string, Message>();
  const rows = await selectRoomMessages(db).where(
    or(...present.map((w) => and(eq(messages.roomId, w.roomId), eq(messages.seq, w.seq)))),
  );
  return new Map(rows.map((r) => [r.roomId ?? "", toMessage(r)]));
}
