import type { Message } from "@murmur/api-contract";
import { chatRooms, messages, roomMembers, users, type Database } from "@murmur/db";
import { and, asc, desc, eq, gt, lt, or, sql, TransactionRollbackError } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { EventBus } from "../bus/event-bus";
import { AppError } from "../errors";
import type { RoomService } from "./rooms";

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
  messageType: Message["messageType"];
  clientMessageId: string | null;
  createdAt: Date;
};

// Field by field, so a row's other columns (receiver, read state) never reach a room's subscribers.
const toMessage = (row: MessageRecord): Message => ({
  id: row.id,
  roomId: row.roomId,
  seq: row.seq,
  sender: row.senderId && row.senderName !== null ? { id: row.senderId, username: row.senderName } : null,
  content: row.content,
  messageType: row.messageType,
  clientMessageId: row.clientMessageId,
  createdAt: row.createdAt,
});

const BACKFILL_BATCH = 500;

export type MessageService = ReturnType<typeof createMessageService>;

/** The message at each room's given sequence number, by room id. */
export async function latestRoomMessages(db: Database, wanted: { roomId: string; seq: number }[]) {
  const present = wanted.filter((w) => w.seq > 0);
  if (present.length === 0) return new Map<string, Message>();
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .leftJoin(sender, eq(sender.id, messages.senderId))
    .where(or(...present.map((w) => and(eq(messages.roomId, w.roomId), eq(messages.seq, w.seq)))));
  return new Map(rows.map((r) => [r.roomId ?? "", toMessage(r)]));
}

export function createMessageService({ db, bus, rooms }: { db: Database; bus: EventBus; rooms: RoomService }) {
  const selectMessages = () =>
    db.select(messageColumns).from(messages).leftJoin(sender, eq(sender.id, messages.senderId));

  async function findByClientId(userId: string, clientMessageId: string) {
    const [row] = await selectMessages().where(
      and(eq(messages.senderId, userId), eq(messages.clientMessageId, clientMessageId)),
    );
    return row ? toMessage(row) : undefined;
  }

  function sameSend(existing: Message, roomId: string, content: string): Message {
    if (existing.roomId !== roomId || existing.content !== content) {
      throw new AppError(
        "CONFLICT",
        "CLIENT_MESSAGE_ID_REUSED",
        "clientMessageId was already used for a different message",
      );
    }
    return existing;
  }

  /**
   * Stores the message and only then publishes it, so whatever a client sees live it can also
   * find in history. A repeated clientMessageId returns the first message and stores nothing.
   */
  async function send(userId: string, input: { roomId: string; content: string; clientMessageId: string }) {
    const earlier = await findByClientId(userId, input.clientMessageId);
    if (earlier) return sameSend(earlier, input.roomId, input.content);

    const stored = await db
      .transaction(async (tx) => {
        const { username } = await rooms.assertMember(userId, input.roomId, tx);
        const [room] = await tx
          .update(chatRooms)
          .set({ lastSeq: sql`${chatRooms.lastSeq} + 1`, lastActivityAt: sql`now()` })
          .where(eq(chatRooms.id, input.roomId))
          .returning({ seq: chatRooms.lastSeq });
        if (!room) throw new AppError("NOT_FOUND", "ROOM_NOT_FOUND", "No such room");
        const [row] = await tx
          .insert(messages)
          .values({
            roomId: input.roomId,
            senderId: userId,
            seq: room.seq,
            content: input.content,
            clientMessageId: input.clientMessageId,
          })
          .onConflictDoNothing()
          .returning();
        // A concurrent retry of the same send won: undo this sequence number and return its message.
        if (!row) return tx.rollback();
        // What I sent, I have read.
        await tx
          .update(roomMembers)
          .set({ lastReadSeq: room.seq })
          .where(and(eq(roomMembers.roomId, input.roomId), eq(roomMembers.userId, userId)));
        return toMessage({ ...row, senderName: username });
      })
      .catch((error: unknown) => {
        if (error instanceof TransactionRollbackError) return undefined;
        throw error;
      });

    if (!stored) {
      const winner = await findByClientId(userId, input.clientMessageId);
      if (!winner) throw new Error("duplicate send vanished");
      return sameSend(winner, input.roomId, input.content);
    }
    await bus.publish("room", input.roomId, { kind: "message", roomId: input.roomId, message: stored });
    return stored;
  }

  async function history(userId: string, input: { roomId: string; cursor?: string | null | undefined; limit: number }) {
    await rooms.assertMember(userId, input.roomId);
    const before = input.cursor ? Number(input.cursor) : null;
    const rows = await selectMessages()
      .where(and(eq(messages.roomId, input.roomId), before === null ? undefined : lt(messages.seq, before)))
      .orderBy(desc(messages.seq))
      .limit(input.limit + 1);
    const items = rows.slice(0, input.limit).map(toMessage);
    const oldest = items.at(-1);
    return { items, nextCursor: rows.length > input.limit && oldest ? String(oldest.seq) : null };
  }

  /** Messages after `afterSeq` (and before `beforeSeq`, if given), oldest first, in batches. */
  async function* range(roomId: string, afterSeq: number, beforeSeq = Number.MAX_SAFE_INTEGER) {
    for (let from = afterSeq; ;) {
      const rows = await selectMessages()
        .where(and(eq(messages.roomId, roomId), gt(messages.seq, from), lt(messages.seq, beforeSeq)))
        .orderBy(asc(messages.seq))
        .limit(BACKFILL_BATCH);
      for (const row of rows) yield toMessage(row);
      const last = rows.at(-1);
      if (!last || rows.length < BACKFILL_BATCH) return;
      from = last.seq;
    }
  }

  return { send, history, range };
}
