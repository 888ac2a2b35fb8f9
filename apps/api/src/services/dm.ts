import { dmMessageSchema, type DmConversation, type DmEvent, type DmMessage } from "@murmur/api-contract";
import { LIMITS } from "@murmur/api-contract";
import { dmConversations, messages, userBlocks, userEvents, users, type Database, type Transaction } from "@murmur/db";
import { and, asc, desc, eq, gt, inArray, lt, lte, or, sql, TransactionRollbackError, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { EventBus } from "../bus/event-bus";
import { AppError, clientMessageIdReused } from "../errors";
import { metrics } from "../metrics";
import { decodeKeysetCursor, encodeKeysetCursor } from "./cursor";
import { publicUserColumns } from "./users";

const sender = alias(users, "dm_sender");
const recipient = alias(users, "dm_recipient");

const dmColumns = {
  id: messages.id,
  conversationId: messages.dmConversationId,
  seq: messages.seq,
  senderId: messages.senderId,
  senderName: sender.username,
  recipientId: messages.receiverId,
  recipientName: recipient.username,
  content: messages.content,
  clientMessageId: messages.clientMessageId,
  isRead: messages.isRead,
  createdAt: messages.createdAt,
};

type DmRecord = {
  id: string;
  conversationId: string | null;
  seq: number;
  senderId: string | null;
  senderName: string | null;
  recipientId: string | null;
  recipientName: string | null;
  content: string;
  clientMessageId: string | null;
  isRead: boolean;
  createdAt: Date;
};

function toDm(row: DmRecord): DmMessage {
  return {
    id: row.id,
    conversationId: row.conversationId ?? "",
    seq: row.seq,
    sender: { id: row.senderId ?? "", username: row.senderName ?? "deleted user" },
    recipient: { id: row.recipientId ?? "", username: row.recipientName ?? "deleted user" },
    content: row.content,
    clientMessageId: row.clientMessageId,
    isRead: row.isRead,
    createdAt: row.createdAt,
  };
}

const pairOf = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);
const BACKFILL_BATCH = 500;

const userNotFound = () => new AppError("NOT_FOUND", "USER_NOT_FOUND", "No such user");
const dmRefused = () => new AppError("FORBIDDEN", "DM_REFUSED", "You can't send messages to this user");

type Executor = Database | Transaction;
export type DmService = ReturnType<typeof createDmService>;

export function createDmService({ db, bus }: { db: Database; bus: EventBus }) {
  const selectDms = (executor: Executor = db) =>
    executor
      .select(dmColumns)
      .from(messages)
      .innerJoin(sender, eq(sender.id, messages.senderId))
      .innerJoin(recipient, eq(recipient.id, messages.receiverId));

  async function findPeer(where: SQL) {
    const [peer] = await db.select({ id: users.id, username: users.username }).from(users).where(where);
    if (!peer) throw userNotFound();
    return peer;
  }

  async function conversationWith(userId: string, peerId: string, executor: Executor = db) {
    const [a, b] = pairOf(userId, peerId);
    const [row] = await executor
      .select()
      .from(dmConversations)
      .where(and(eq(dmConversations.userA, a), eq(dmConversations.userB, b)));
    return row;
  }

  /** Refuses when either side blocked the other; only the blocker is told why. */
  async function assertMayMessage(userId: string, peerId: string, executor: Executor = db) {
    const blocks = await executor
      .select({ blockerId: userBlocks.blockerId })
      .from(userBlocks)
      .where(
        or(
          and(eq(userBlocks.blockerId, userId), eq(userBlocks.blockedId, peerId)),
          and(eq(userBlocks.blockerId, peerId), eq(userBlocks.blockedId, userId)),
        ),
      );
    if (blocks.some((b) => b.blockerId === userId)) {
      throw new AppError("FORBIDDEN", "YOU_BLOCKED_USER", "You blocked this user; unblock them to send messages");
    }
    if (blocks.length > 0) throw dmRefused();
  }

  /** Appends one event to each user's stream, locking their rows in id order so concurrent sends cannot deadlock. */
  async function appendEvents(
    tx: Transaction,
    userIds: string[],
    event: Omit<typeof userEvents.$inferInsert, "userId" | "seq">,
  ): Promise<Map<string, number>> {
    const seqs = new Map<string, number>();
    for (const userId of [...new Set(userIds)].sort()) {
      const [row] = await tx
        .update(users)
        .set({ lastEventSeq: sql`${users.lastEventSeq} + 1` })
        .where(eq(users.id, userId))
        .returning({ seq: users.lastEventSeq });
      if (!row) throw userNotFound();
      await tx.insert(userEvents).values({ ...event, userId, seq: row.seq });
      seqs.set(userId, row.seq);
    }
    return seqs;
  }

  async function publishEvent(seqs: Map<string, number>, event: DmEvent) {
    await Promise.all(
      [...seqs].map(([userId, eventSeq]) => bus.publish("user", userId, { kind: "dm", eventSeq, event })),
    );
  }

  async function findByClientId(userId: string, clientMessageId: string) {
    const [row] = await selectDms().where(
      and(eq(messages.senderId, userId), eq(messages.clientMessageId, clientMessageId)),
    );
    return row ? toDm(row) : undefined;
  }

  function sameSend(existing: DmMessage, peerId: string, content: string): DmMessage {
    if (existing.recipient.id !== peerId || existing.content !== content) {
      throw clientMessageIdReused();
    }
    return existing;
  }

  async function send(
    userId: string,
    input: { content: string; clientMessageId: string } & ({ toUserId: string } | { toUsername: string }),
  ): Promise<DmMessage> {
    const peer = await findPeer(
      "toUserId" in input ? eq(users.id, input.toUserId) : sql`lower(${users.username}) = lower(${input.toUsername})`,
    );
    if (peer.id === userId) throw new AppError("BAD_REQUEST", "CANNOT_MESSAGE_SELF", "You can't message yourself");

    const [a, b] = pairOf(userId, peer.id);
    const result = await db
      .transaction(async (tx) => {
        await assertMayMessage(userId, peer.id, tx);
        await tx.insert(dmConversations).values({ userA: a, userB: b }).onConflictDoNothing();
        const [conversation] = await tx
          .update(dmConversations)
          .set({ lastSeq: sql`${dmConversations.lastSeq} + 1`, lastMessageAt: sql`now()` })
          .where(and(eq(dmConversations.userA, a), eq(dmConversations.userB, b)))
          .returning();
        if (!conversation) throw new Error("conversation vanished");
        const [row] = await tx
          .insert(messages)
          .values({
            senderId: userId,
            receiverId: peer.id,
            dmConversationId: conversation.id,
            seq: conversation.lastSeq,
            content: input.content,
            clientMessageId: input.clientMessageId,
          })
          .onConflictDoNothing()
          .returning({ id: messages.id });
        // A repeat of an earlier send: undo this sequence number; the stored message is returned below.
        if (!row) return tx.rollback();
        const [stored] = await selectDms(tx).where(eq(messages.id, row.id));
        if (!stored) throw new Error("stored DM vanished");
        const seqs = await appendEvents(tx, [userId, peer.id], { kind: "dm-message", messageId: row.id });
        // Validated once here, against the contract, before it can reach any subscriber.
        return { message: dmMessageSchema.parse(toDm(stored)), seqs };
      })
      .catch(async (error: unknown) => {
        if (error instanceof TransactionRollbackError) return null;
        // A retry of a send that was stored before a block stays what it was: stored, not refused.
        if (error instanceof AppError && (await findByClientId(userId, input.clientMessageId))) return null;
        throw error;
      });

    if (!result) {
      // A repeat (or a concurrent retry) of an earlier send: return what was stored first.
      const winner = await findByClientId(userId, input.clientMessageId);
      if (!winner) throw new Error("duplicate DM vanished");
      return sameSend(winner, peer.id, input.content);
    }
    metrics.messagesStored.inc({ kind: "dm" });
    await publishEvent(result.seqs, { type: "message", message: result.message });
    return result.message;
  }

  async function history(userId: string, input: { peerId: string; cursor?: string | null | undefined; limit: number }) {
    const conversation = await conversationWith(userId, input.peerId);
    if (!conversation) return { items: [], nextCursor: null };
    const before = input.cursor ? Number(input.cursor) : null;
    const rows = await selectDms()
      .where(
        and(eq(messages.dmConversationId, conversation.id), before === null ? undefined : lt(messages.seq, before)),
      )
      .orderBy(desc(messages.seq))
      .limit(input.limit + 1);
    const items = rows.slice(0, input.limit).map(toDm);
    const oldest = items.at(-1);
    return { items, nextCursor: rows.length > input.limit && oldest ? String(oldest.seq) : null };
  }

  async function conversations(userId: string, input: { cursor?: string | null | undefined }) {
    const peer = alias(users, "peer");
    const filters: (SQL | undefined)[] = [or(eq(dmConversations.userA, userId), eq(dmConversations.userB, userId))];
    if (input.cursor) {
      const { at, id } = decodeKeysetCursor(input.cursor);
      filters.push(
        or(
          lt(dmConversations.lastMessageAt, at),
          and(eq(dmConversations.lastMessageAt, at), lt(dmConversations.id, id)),
        ),
      );
    }
    const pageSize = LIMITS.roomPageSize;
    // Before the list, never after: an event between the two reads is then both listed and replayed
    // (applied once), where the other order would leave it in neither.
    const eventSeq = await currentEventSeq(userId);
    const rows = await db
      .select({
        id: dmConversations.id,
        lastSeq: dmConversations.lastSeq,
        lastMessageAt: dmConversations.lastMessageAt,
        peer: { id: peer.id, username: peer.username, isOnline: peer.isOnline, lastSeen: peer.lastSeen },
        unreadCount: sql<number>`(select count(*)::int from ${messages} where ${messages.dmConversationId} = ${dmConversations.id} and ${messages.receiverId} = ${userId} and not ${messages.isRead})`,
      })
      .from(dmConversations)
      .innerJoin(
        peer,
        eq(
          peer.id,
          sql`case when ${dmConversations.userA} = ${userId} then ${dmConversations.userB} else ${dmConversations.userA} end`,
        ),
      )
      .where(and(...filters))
      .orderBy(desc(dmConversations.lastMessageAt), desc(dmConversations.id))
      .limit(pageSize + 1);
    const page = rows.slice(0, pageSize);
    const lastMessages = page.length
      ? await selectDms().where(
          or(...page.map((c) => and(eq(messages.dmConversationId, c.id), eq(messages.seq, c.lastSeq)))),
        )
      : [];
    const byConversation = new Map(lastMessages.map((m) => [m.conversationId, toDm(m)]));
    const items: DmConversation[] = page.map((c) => ({
      id: c.id,
      peer: c.peer,
      lastMessage: byConversation.get(c.id) ?? null,
      unreadCount: Number(c.unreadCount),
      lastMessageAt: c.lastMessageAt,
    }));
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > pageSize && last ? encodeKeysetCursor(last.lastMessageAt, last.id) : null,
      eventSeq,
    };
  }

  /** Marks the peer's messages to me read up to `upTo`; both of us hear about it live. */
  async function markRead(userId: string, input: { peerId: string; upTo: number }) {
    const conversation = await conversationWith(userId, input.peerId);
    if (!conversation) return { updated: 0 };
    const result = await db.transaction(async (tx) => {
      const updated = await tx
        .update(messages)
        .set({ isRead: true })
        .where(
          and(
            eq(messages.dmConversationId, conversation.id),
            eq(messages.receiverId, userId),
            lte(messages.seq, input.upTo),
            eq(messages.isRead, false),
          ),
        )
        .returning({ seq: messages.seq });
      if (updated.length === 0) return null;
      const upToSeq = Math.max(...updated.map((m) => m.seq));
      const seqs = await appendEvents(tx, [userId, input.peerId], {
        kind: "dm-read",
        dmConversationId: conversation.id,
        readerId: userId,
        upToSeq,
      });
      return { seqs, upToSeq, updated: updated.length };
    });
    if (!result) return { updated: 0 };
    await publishEvent(result.seqs, {
      type: "read",
      conversationId: conversation.id,
      readerId: userId,
      upToSeq: result.upToSeq,
    });
    return { updated: result.updated };
  }

  /** My DM events after `afterSeq`, oldest first, rebuilt from the database. */
  async function* events(userId: string, afterSeq: number) {
    for (let from = afterSeq; ;) {
      const rows = await db
        .select()
        .from(userEvents)
        .where(and(eq(userEvents.userId, userId), gt(userEvents.seq, from)))
        .orderBy(asc(userEvents.seq))
        .limit(BACKFILL_BATCH);
      const messageIds = rows.flatMap((r) => (r.messageId ? [r.messageId] : []));
      const dms = messageIds.length ? await selectDms().where(inArray(messages.id, messageIds)) : [];
      const byId = new Map(dms.map((m) => [m.id, toDm(m)]));
      for (const row of rows) {
        const event = toEvent(row, byId);
        if (event) yield { eventSeq: row.seq, event };
      }
      const last = rows.at(-1);
      if (!last || rows.length < BACKFILL_BATCH) return;
      from = last.seq;
    }
  }

  async function currentEventSeq(userId: string) {
    const [row] = await db.select({ seq: users.lastEventSeq }).from(users).where(eq(users.id, userId));
    return row?.seq ?? 0;
  }

  async function block(userId: string, blockedId: string) {
    if (blockedId === userId) throw new AppError("BAD_REQUEST", "CANNOT_MESSAGE_SELF", "You can't block yourself");
    await findPeer(eq(users.id, blockedId));
    await db.insert(userBlocks).values({ blockerId: userId, blockedId }).onConflictDoNothing();
  }

  async function unblock(userId: string, blockedId: string) {
    await db.delete(userBlocks).where(and(eq(userBlocks.blockerId, userId), eq(userBlocks.blockedId, blockedId)));
  }

  async function blocked(userId: string) {
    return db
      .select(publicUserColumns)
      .from(userBlocks)
      .innerJoin(users, eq(users.id, userBlocks.blockedId))
      .where(eq(userBlocks.blockerId, userId))
      .orderBy(users.username);
  }

  return {
    send,
    history,
    conversations,
    markRead,
    events,
    currentEventSeq,
    block,
    unblock,
    blocked,
    assertMayMessage,
    findPeer: (peerId: string) => findPeer(eq(users.id, peerId)),
  };
}

function toEvent(row: typeof userEvents.$inferSelect, messagesById: Map<string, DmMessage>): DmEvent | null {
  if (row.kind === "dm-message") {
    const message = row.messageId ? messagesById.get(row.messageId) : undefined;
    return message ? { type: "message", message } : null;
  }
  if (!row.dmConversationId || !row.readerId || row.upToSeq === null) return null;
  return {
    type: "read",
    conversationId: row.dmConversationId,
    readerId: row.readerId,
    upToSeq: row.upToSeq,
  };
}
