import { randomInt } from "node:crypto";
import type { Message, MyRoom, Room, RoomCategory, RoomMember } from "@murmur/api-contract";
import { LIMITS } from "@murmur/api-contract";
import { chatRooms, roomMembers, users, type Database, type RoomRow, type Transaction } from "@murmur/db";
import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import type { EventBus } from "../bus/event-bus";
import { AppError, notAMember, uniqueViolation } from "../errors";
import { publicUserColumns } from "./users";

// No 0/O, 1/I/L: codes are read aloud and typed by hand.
const ROOM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function generateRoomCode(): string {
  let code = "";
  for (let i = 0; i < LIMITS.roomCodeLength; i++) code += ROOM_CODE_ALPHABET[randomInt(ROOM_CODE_ALPHABET.length)];
  return code;
}

const roomNotFound = () => new AppError("NOT_FOUND", "ROOM_NOT_FOUND", "No such room");

const toRoom = (row: RoomRow, myRole: Room["myRole"]): Room => ({
  id: row.id,
  name: row.name,
  description: row.description,
  category: row.category,
  creatorId: row.creatorId,
  isPrivate: row.isPrivate,
  isSuperSecret: row.isSuperSecret,
  memberLimit: row.memberLimit,
  memberCount: row.memberCount,
  lastSeq: row.lastSeq,
  lastActivityAt: row.lastActivityAt,
  createdAt: row.createdAt,
  myRole,
});

/** Keyset cursor over (last_activity_at desc, id desc). */
const encodeRoomCursor = (room: Pick<Room, "lastActivityAt" | "id">) =>
  Buffer.from(`${room.lastActivityAt.toISOString()}|${room.id}`).toString("base64url");

function decodeRoomCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const date = new Date(at ?? "");
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) {
    throw new AppError("BAD_REQUEST", "BAD_CURSOR", "cursor: not a cursor this server gave out");
  }
  return { at: date, id };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export type RoomService = ReturnType<typeof createRoomService>;
type Executor = Database | Transaction;

export function createRoomService({
  db,
  bus,
  latestMessages,
}: {
  db: Database;
  bus: EventBus;
  /** The message at each room's given sequence number (the latest), by room id. */
  latestMessages: (wanted: { roomId: string; seq: number }[]) => Promise<Map<string, Message>>;
}) {
  const roomsChanged = (userId: string) => bus.publish("user", userId, { kind: "rooms-changed" });

  async function findWithRole(userId: string, roomId: string, executor: Executor = db) {
    const [row] = await executor
      .select({ room: chatRooms, role: roomMembers.role })
      .from(chatRooms)
      .leftJoin(roomMembers, and(eq(roomMembers.roomId, chatRooms.id), eq(roomMembers.userId, userId)))
      .where(eq(chatRooms.id, roomId));
    // A super-secret room is indistinguishable from a missing one to outsiders.
    if (!row || (row.room.isSuperSecret && !row.role)) throw roomNotFound();
    return row;
  }

  /** Refuses non-members (and missing rooms, alike) with FORBIDDEN; returns the member's username. */
  async function assertMember(userId: string, roomId: string, executor: Executor = db) {
    const [row] = await executor
      .select({ username: users.username })
      .from(roomMembers)
      .innerJoin(users, eq(users.id, roomMembers.userId))
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)));
    if (!row) throw notAMember();
    return row;
  }

  async function create(
    userId: string,
    input: { name: string; description?: string | undefined; category?: RoomCategory | undefined },
  ): Promise<Room> {
    for (let attempt = 0; ; attempt++) {
      try {
        const room = await db.transaction(async (tx) => {
          const [room] = await tx
            .insert(chatRooms)
            .values({
              name: input.name,
              description: input.description ?? "",
              category: input.category ?? "other",
              creatorId: userId,
              roomCode: generateRoomCode(),
              memberCount: 1,
            })
            .returning();
          if (!room) throw new Error("insert returned no room");
          await tx.insert(roomMembers).values({ roomId: room.id, userId, role: "owner" });
          return toRoom(room, "owner");
        });
        await roomsChanged(userId);
        return room;
      } catch (error) {
        // A room code collision (1 in 8.5e11 per pair) is retried with a fresh code.
        if (attempt < 5 && uniqueViolation(error)?.includes("room_code")) continue;
        throw error;
      }
    }
  }

  async function list(
    userId: string,
    input: { cursor?: string | null | undefined; category?: RoomCategory | undefined; q?: string | undefined },
  ) {
    const filters: (SQL | undefined)[] = [eq(chatRooms.isSuperSecret, false)];
    if (input.category) filters.push(eq(chatRooms.category, input.category));
    if (input.q) filters.push(sql`${chatRooms.name} ILIKE ${`%${escapeLike(input.q)}%`}`);
    if (input.cursor) {
      const { at, id } = decodeRoomCursor(input.cursor);
      filters.push(or(lt(chatRooms.lastActivityAt, at), and(eq(chatRooms.lastActivityAt, at), lt(chatRooms.id, id))));
    }
    const rows = await db
      .select({ room: chatRooms, role: roomMembers.role })
      .from(chatRooms)
      .leftJoin(roomMembers, and(eq(roomMembers.roomId, chatRooms.id), eq(roomMembers.userId, userId)))
      .where(and(...filters))
      .orderBy(desc(chatRooms.lastActivityAt), desc(chatRooms.id))
      .limit(LIMITS.roomPageSize + 1);
    const items = rows.slice(0, LIMITS.roomPageSize).map((r) => toRoom(r.room, r.role));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > LIMITS.roomPageSize && last ? encodeRoomCursor(last) : null };
  }

  /** The rooms I belong to, most recently active first, with unread counts and the latest message. */
  async function mine(userId: string): Promise<MyRoom[]> {
    const rows = await db
      .select({ room: chatRooms, role: roomMembers.role, lastReadSeq: roomMembers.lastReadSeq })
      .from(roomMembers)
      .innerJoin(chatRooms, eq(chatRooms.id, roomMembers.roomId))
      .where(eq(roomMembers.userId, userId))
      .orderBy(desc(chatRooms.lastActivityAt), desc(chatRooms.id));
    const latest = await latestMessages(rows.map((r) => ({ roomId: r.room.id, seq: r.room.lastSeq })));
    return rows.map((r) => ({
      ...toRoom(r.room, r.role),
      lastReadSeq: r.lastReadSeq,
      // Sequence numbers are gapless, so the difference is the exact count.
      unreadCount: Math.max(0, r.room.lastSeq - r.lastReadSeq),
      lastMessage: latest.get(r.room.id) ?? null,
    }));
  }

  async function myRoomIds(userId: string): Promise<string[]> {
    const rows = await db
      .select({ roomId: roomMembers.roomId })
      .from(roomMembers)
      .where(eq(roomMembers.userId, userId));
    return rows.map((r) => r.roomId);
  }

  /** Moves my read pointer forward (never back, never past the last message); my other tabs hear of it. */
  async function markRead(userId: string, roomId: string, upTo: number): Promise<{ lastReadSeq: number }> {
    await assertMember(userId, roomId);
    const [row] = await db
      .update(roomMembers)
      .set({
        lastReadSeq: sql`greatest(${roomMembers.lastReadSeq}, least(${upTo}::bigint, (select ${chatRooms.lastSeq} from ${chatRooms} where ${chatRooms.id} = ${roomId})))`,
      })
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
      .returning({ lastReadSeq: roomMembers.lastReadSeq });
    if (!row) throw notAMember();
    await bus.publish("user", userId, { kind: "room-read", roomId, lastReadSeq: row.lastReadSeq });
    return row;
  }

  async function get(userId: string, roomId: string): Promise<Room> {
    const row = await findWithRole(userId, roomId);
    return toRoom(row.room, row.role);
  }

  /** Joining twice is harmless; the seat count is taken under the room's row lock, so the limit holds. */
  async function join(userId: string, roomId: string): Promise<Room> {
    const room = await db.transaction(async (tx) => {
      const row = await findWithRole(userId, roomId, tx);
      if (row.role) return toRoom(row.room, row.role);
      if (row.room.isPrivate || row.room.isSuperSecret) {
        throw new AppError("FORBIDDEN", "NOT_A_MEMBER", "This room needs a password to join");
      }
      const inserted = await tx
        .insert(roomMembers)
        .values({ roomId, userId, role: "member" })
        .onConflictDoNothing()
        .returning({ role: roomMembers.role });
      if (inserted.length === 0) return toRoom((await findWithRole(userId, roomId, tx)).room, "member");
      const [seated] = await tx
        .update(chatRooms)
        .set({ memberCount: sql`${chatRooms.memberCount} + 1` })
        .where(and(eq(chatRooms.id, roomId), lt(chatRooms.memberCount, chatRooms.memberLimit)))
        .returning();
      if (!seated) throw new AppError("FORBIDDEN", "ROOM_FULL", "This room is full");
      return toRoom(seated, "member");
    });
    await roomsChanged(userId);
    return room;
  }

  async function leave(userId: string, roomId: string): Promise<void> {
    const left = await db.transaction(async (tx) => {
      const removed = await tx
        .delete(roomMembers)
        .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
        .returning({ userId: roomMembers.userId });
      if (removed.length === 0) return false;
      await tx
        .update(chatRooms)
        .set({ memberCount: sql`${chatRooms.memberCount} - 1` })
        .where(eq(chatRooms.id, roomId));
      return true;
    });
    if (!left) throw notAMember();
    await bus.publish("room", roomId, { kind: "member-left", roomId, userId });
    await roomsChanged(userId);
  }

  async function members(userId: string, roomId: string): Promise<RoomMember[]> {
    await assertMember(userId, roomId);
    return db
      .select({ user: publicUserColumns, role: roomMembers.role, joinedAt: roomMembers.joinedAt })
      .from(roomMembers)
      .innerJoin(users, eq(users.id, roomMembers.userId))
      .where(eq(roomMembers.roomId, roomId))
      .orderBy(roomMembers.joinedAt, users.username);
  }

  async function currentSeq(roomId: string): Promise<number> {
    const [row] = await db.select({ lastSeq: chatRooms.lastSeq }).from(chatRooms).where(eq(chatRooms.id, roomId));
    return row?.lastSeq ?? 0;
  }

  return { create, list, mine, myRoomIds, markRead, get, join, leave, members, assertMember, currentSeq };
}
