import type { Message } from "@murmur/api-contract";
import { messages, type Database } from "@murmur/db";
import { and, asc, eq, gt } from "drizzle-orm";
import type { EventBus } from "../bus/event-bus";
import { clientMessageIdReused, notAMember, uniqueViolation } from "../errors";
import { SendBatcher } from "./send-batcher";
import {
  appendAsMember,
  CLIENT_MESSAGE_ID_INDEX,
  pageAsMember,
  selectRoomMessages,
  toMessage,
  type SendEntry,
} from "./room-log";

const BACKFILL_BATCH = 500;

export type MessageService = ReturnType<typeof createMessageService>;

export function createMessageService({
  db,
  dbConcurrency,
  bus,
}: {
  db: Database;
  dbConcurrency: number;
  bus: EventBus;
}) {
  // Half the pool for sends, so reads and other writes still find a connection under load.
  const batcher = new SendBatcher(db, Math.max(1, Math.floor(dbConcurrency / 2)));

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

  /** A send alone: for a repeated clientMessageId, or when its batch's statement failed. */
  async function sendAlone(entry: SendEntry): Promise<Message> {
    // No look-up first: the unique index on (sender, clientMessageId) detects a repeat inside the
    // insert, and only then is the first message read back.
    const stored = await appendAsMember(db, entry).catch((error: unknown) => {
      if (uniqueViolation(error) === CLIENT_MESSAGE_ID_INDEX) return "repeat" as const;
      throw error;
    });
    if (stored === null) throw notAMember();
    if (stored !== "repeat") return published(entry.roomId, stored);
    const winner = await findByClientId(entry.senderId, entry.clientMessageId);
    if (!winner) throw new Error("duplicate send vanished");
    return sameSend(winner, entry.roomId, entry.content);
  }

  /**
   * Stores the message (with whatever else is being sent at the moment: see SendBatcher) and only
   * then publishes it. A repeated clientMessageId returns the first message and stores nothing.
   */
  async function send(userId: string, input: { roomId: string; content: string; clientMessageId: string }) {
    const entry = { ...input, senderId: userId };
    const outcome = await batcher.submit(entry);
    if (outcome.kind === "not-member") throw notAMember();
    if (outcome.kind === "retry-alone") return sendAlone(entry);
    return published(input.roomId, outcome.message);
  }

  /** Published only once stored, so whatever a client sees live it can also find in history. */
  async function published(roomId: string, message: Message): Promise<Message> {
    await bus.publish("room", roomId, { kind: "message", roomId, message });
    return message;
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
