import type { Message } from "@murmur/api-contract";
import { messages, type Database } from "@murmur/db";
import { and, asc, eq, gt } from "drizzle-orm";
import type { EventBus } from "../bus/event-bus";
import { clientMessageIdReused, notAMember, uniqueViolation } from "../errors";
import { appendAsMember, CLIENT_MESSAGE_ID_INDEX, pageAsMember, selectRoomMessages, toMessage } from "./room-log";

const BACKFILL_BATCH = 500;

export type MessageService = ReturnType<typeof createMessageService>;

export function createMessageService({ db, bus }: { db: Database; bus: EventBus }) {
  async function findByClientId(userId: string, clientMessageId: string) {
    const [row] = await selectRoomMessages(db).where(
      and(eq(messages.senderId, userId), eq(messages.clientMessageId, clientMessageId)),
    );
    return row ? toMessage(row) : undefined;
  }

  function sameSend(existing: Message, roomId: string, content: string): Message {
    if (existing.roomId !== roomId || existing.content !== content) {
      throw clientMessageIdReused();
    }
    return existing;
  }

  /**
   * Stores the message and only then publishes it, so whatever a client sees live it can also
   * find in history. A repeated clientMessageId returns the first message and stores nothing.
   */
  async function send(userId: string, input: { roomId: string; content: string; clientMessageId: string }) {
    // No look-up first: the unique index on (sender, clientMessageId) detects a repeat inside the
    // insert, and only then is the first message read back.
    const stored = await appendAsMember(db, { ...input, senderId: userId }).catch((error: unknown) => {
      if (uniqueViolation(error) === CLIENT_MESSAGE_ID_INDEX) return "repeat" as const;
      throw error;
    });
    if (stored === null) throw notAMember();
    if (stored === "repeat") {
      const winner = await findByClientId(userId, input.clientMessageId);
      if (!winner) throw new Error("duplicate send vanished");
      return sameSend(winner, input.roomId, input.content);
    }
    await bus.publish("room", input.roomId, { kind: "message", roomId: input.roomId, message: stored });
    return stored;
  }

  async function history(userId: string, input: { roomId: string; cursor?: string | null | undefined; limit: number }) {
    const before = input.cursor ? Number(input.cursor) : null;
    const rows = await pageAsMember(db, { roomId: input.roomId, userId, before, limit: input.limit + 1 });
    if (!rows) throw notAMember();
    const items = rows.slice(0, input.limit);
    const oldest = items.at(-1);
    return { items, nextCursor: rows.length > input.limit && oldest ? String(oldest.seq) : null };
  }

  /** Messages after `afterSeq`, oldest first, in batches. */
  async function* range(roomId: string, afterSeq: number) {
    for (let from = afterSeq; ;) {
      const rows = await selectRoomMessages(db)
        .where(and(eq(messages.roomId, roomId), gt(messages.seq, from)))
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
