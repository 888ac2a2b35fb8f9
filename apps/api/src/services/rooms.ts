import { randomInt, randomUUID } from "node:crypto";
import type { Message, MyRoom, Room, RoomCategory, RoomMember, RoomRole } from "@murmur/api-contract";
import { LIMITS } from "@murmur/api-contract";
import { chatRooms, roomMembers, users, type Database, type RoomRow, type Transaction } from "@murmur/db";
import { and, asc, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../auth";
import type { EventBus } from "../bus/event-bus";
import { AppError, notAMember, uniqueViolation } from "../errors";
import type { FailureLimiter } from "../rate-limits";
import type { CreditService } from "./credits";
import { decodeKeysetCursor, encodeKeysetCursor } from "./cursor";
import { appendToRoom } from "./room-log";
import { publicUserColumns } from "./users";

// No 0/O, 1/I/L: codes are read aloud and typed by hand.
const ROOM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function generateRoomCode(): string {
  let code = "";
  for (let i = 0; i < LIMITS.roomCodeLength; i++) code += ROOM_CODE_ALPHABET[randomInt(ROOM_CODE_ALPHABET.length)];
  return code;
}

const roomNotFound = () => new AppError("NOT_FOUND", "ROOM_NOT_FOUND", "No such room");
const badCodeOrPassword = () =>
  new AppError("FORBIDDEN", "BAD_CODE_OR_PASSWORD", "No room matches that code and password");
const notAllowed = (what: string) => new AppError("FORBIDDEN", "NOT_ALLOWED", `Only ${what}`);

const toRoom = (row: RoomRow, myRole: RoomRole | null): Room => ({
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
  roomCode: myRole ? row.roomCode : null,
});

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

type Executor = Database | Transaction;
type Actor = { id: string; username: string };
/** Who is asking, for per-user and per-IP limits on password guesses. */
export type Requester = Actor & { ip: string };

export type RoomService = ReturnType<typeof createRoomService>;

export function createRoomService(deps: {
  db: Database;
  bus: EventBus;
  credits: CreditService;
  passwordAttempts: FailureLimiter;
  /** The message at each room's given sequence number (the latest), by room id. */
  latestMessages: (wanted: { roomId: string; seq: number }[]) => Promise<Map<string, Message>>;
}) {
  const { db, bus, credits } = deps;
  const roomsChanged = (userId: string) => bus.publish("user", userId, { kind: "rooms-changed" });
  const publishMessages = async (roomId: string, logged: Message[]) => {
    for (const message of logged) await bus.publish("room", roomId, { kind: "message", roomId, message });
  };

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

  /** Refuses non-members (and missing rooms, alike) with FORBIDDEN; returns the member's username and role. */
  async function assertMember(userId: string, roomId: string, executor: Executor = db) {
    const [row] = await executor
      .select({ username: users.username, role: roomMembers.role })
      .from(roomMembers)
      .innerJoin(users, eq(users.id, roomMembers.userId))
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)));
    if (!row) throw notAMember();
    return row;
  }

  async function assertRole(userId: string, roomId: string, allowed: RoomRole[], what: string, tx: Executor) {
    const member = await assertMember(userId, roomId, tx);
    if (!allowed.includes(member.role)) throw notAllowed(what);
    return member;
  }

  async function create(
    actor: Actor,
    input: {
      name: string;
      description?: string | undefined;
      category?: RoomCategory | undefined;
      isPrivate: boolean;
      isSuperSecret: boolean;
      password?: string | undefined;
      memberLimit: number;
    },
  ): Promise<Room> {
    const isSuperSecret = input.isSuperSecret;
    const isPrivate = input.isPrivate && !isSuperSecret;
    const passwordHash = isPrivate || isSuperSecret ? await hashPassword(input.password ?? "") : null;
    const price = isSuperSecret ? credits.prices.superSecretRoom : isPrivate ? credits.prices.privateRoom : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const room = await db.transaction(async (tx) => {
          const id = randomUUID();
          await credits.spend(tx, actor.id, {
            amount: price,
            reason: isSuperSecret ? "room-super-secret" : "room-private",
            reference: id,
            what: isSuperSecret ? "A super-secret room" : "A private room",
          });
          const [row] = await tx
            .insert(chatRooms)
            .values({
              id,
              name: input.name,
              description: input.description ?? "",
              category: input.category ?? "other",
              creatorId: actor.id,
              isPrivate,
              isSuperSecret,
              passwordHash,
              memberLimit: input.memberLimit,
              roomCode: generateRoomCode(),
              memberCount: 1,
            })
            .returning();
          if (!row) throw new Error("insert returned no room");
          await tx.insert(roomMembers).values({ roomId: row.id, userId: actor.id, role: "owner" });
          return toRoom(row, "owner");
        });
        await roomsChanged(actor.id);
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
      const { at, id } = decodeKeysetCursor(input.cursor);
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
    return {
      items,
      nextCursor: rows.length > LIMITS.roomPageSize && last ? encodeKeysetCursor(last.lastActivityAt, last.id) : null,
    };
  }

  /** The rooms I belong to, most recently active first, with unread counts and the latest message. */
  async function mine(userId: string): Promise<MyRoom[]> {
    const rows = await db
      .select({ room: chatRooms, role: roomMembers.role, lastReadSeq: roomMembers.lastReadSeq })
      .from(roomMembers)
      .innerJoin(chatRooms, eq(chatRooms.id, roomMembers.roomId))
      .where(eq(roomMembers.userId, userId))
      .orderBy(desc(chatRooms.lastActivityAt), desc(chatRooms.id));
    const latest = await deps.latestMessages(rows.map((r) => ({ roomId: r.room.id, seq: r.room.lastSeq })));
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

  /** Takes a seat under the room's row lock, so the member limit holds however many join at once. */
  async function seat(tx: Transaction, actor: Actor, roomId: string) {
    const inserted = await tx
      .insert(roomMembers)
      .values({ roomId, userId: actor.id, role: "member" })
      .onConflictDoNothing()
      .returning({ role: roomMembers.role });
    if (inserted.length === 0) return null;
    const [seated] = await tx
      .update(chatRooms)
      .set({ memberCount: sql`${chatRooms.memberCount} + 1` })
      .where(and(eq(chatRooms.id, roomId), lt(chatRooms.memberCount, chatRooms.memberLimit)))
      .returning();
    if (!seated) throw new AppError("FORBIDDEN", "ROOM_FULL", "This room is full");
    const joined = await appendToRoom(tx, {
      roomId,
      sender: actor,
      content: `${actor.username} joined`,
      messageType: "system",
    });
    return { room: toRoom({ ...seated, lastSeq: joined?.seq ?? seated.lastSeq }, "member"), logged: joined };
  }

  async function enter(actor: Actor, roomId: string): Promise<Room> {
    const result = await db.transaction(async (tx) => {
      const seated = await seat(tx, actor, roomId);
      if (seated) return seated;
      const row = await findWithRole(actor.id, roomId, tx);
      return { room: toRoom(row.room, row.role), logged: null };
    });
    if (result.logged) {
      await publishMessages(roomId, [result.logged]);
      await roomsChanged(actor.id);
    }
    return result.room;
  }

  /** Joins a public room, or a private one with its password. Joining twice is harmless. */
  async function join(requester: Requester, roomId: string, password: string | undefined): Promise<Room> {
    const row = await findWithRole(requester.id, roomId);
    if (row.role) return toRoom(row.room, row.role);
    if (row.room.isSuperSecret) throw roomNotFound();
    if (row.room.isPrivate) {
      const keys = { user: requester.id, ip: requester.ip };
      await deps.passwordAttempts.assertAllowed(keys);
      if (!password || !row.room.passwordHash || !(await verifyPassword(row.room.passwordHash, password))) {
        await deps.passwordAttempts.recordFailure(keys);
        throw new AppError("FORBIDDEN", "WRONG_PASSWORD", "That password is not right for this room");
      }
    }
    return enter(requester, roomId);
  }

  /** The only way into a super-secret room. A wrong code and a wrong password look exactly alike. */
  async function joinByCode(requester: Requester, code: string, password: string): Promise<Room> {
    const keys = { user: requester.id, ip: requester.ip };
    await deps.passwordAttempts.assertAllowed(keys);
    const [room] = await db.select().from(chatRooms).where(eq(chatRooms.roomCode, code));
    const passwordOk = room?.passwordHash
      ? await verifyPassword(room.passwordHash, password)
      : (await burnPasswordCheck(password), room !== undefined);
    if (!room || !passwordOk) {
      await deps.passwordAttempts.recordFailure(keys);
      throw badCodeOrPassword();
    }
    return enter(requester, room.id);
  }

  /** Removes a member; when the last owner goes, the oldest member inherits the room, or an empty room is deleted. */
  async function removeMember(tx: Transaction, roomId: string, userId: string) {
    const [removed] = await tx
      .delete(roomMembers)
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
      .returning({ role: roomMembers.role });
    if (!removed) return null;
    const [room] = await tx
      .update(chatRooms)
      .set({ memberCount: sql`${chatRooms.memberCount} - 1` })
      .where(eq(chatRooms.id, roomId))
      .returning();
    if (!room) return null;
    if (room.memberCount === 0) {
      await tx.delete(chatRooms).where(eq(chatRooms.id, roomId));
      return { removed, deleted: true, heir: null };
    }
    if (removed.role !== "owner") return { removed, deleted: false, heir: null };
    const [otherOwner] = await tx
      .select({ userId: roomMembers.userId })
      .from(roomMembers)
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.role, "owner")))
      .limit(1);
    if (otherOwner) return { removed, deleted: false, heir: null };
    const [heir] = await tx
      .select({ userId: roomMembers.userId, username: users.username })
      .from(roomMembers)
      .innerJoin(users, eq(users.id, roomMembers.userId))
      .where(eq(roomMembers.roomId, roomId))
      .orderBy(asc(roomMembers.joinedAt), asc(roomMembers.userId))
      .limit(1);
    if (heir) {
      await tx
        .update(roomMembers)
        .set({ role: "owner" })
        .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, heir.userId)));
    }
    return { removed, deleted: false, heir: heir ?? null };
  }

  async function afterRemoval(roomId: string, userId: string, logged: Message[], deleted: boolean) {
    await bus.publish("room", roomId, { kind: "member-left", roomId, userId });
    if (deleted) await bus.publish("room", roomId, { kind: "room-deleted", roomId });
    else await publishMessages(roomId, logged);
    await roomsChanged(userId);
  }

  async function leave(actor: Actor, roomId: string): Promise<void> {
    const result = await db.transaction(async (tx) => {
      const outcome = await removeMember(tx, roomId, actor.id);
      if (!outcome) throw notAMember();
      if (outcome.deleted) return { logged: [], deleted: true };
      const logged = [
        await appendToRoom(tx, { roomId, sender: actor, content: `${actor.username} left`, messageType: "system" }),
      ];
      if (outcome.heir) {
        logged.push(
          await appendToRoom(tx, {
            roomId,
            sender: { id: outcome.heir.userId, username: outcome.heir.username },
            content: `${outcome.heir.username} is now the owner`,
            messageType: "system",
          }),
        );
      }
      return { logged: logged.filter((m): m is Message => m !== null), deleted: false };
    });
    await afterRemoval(roomId, actor.id, result.logged, result.deleted);
  }

  /** Owners remove anyone but themselves; moderators remove plain members. */
  async function kick(actor: Actor, roomId: string, targetId: string): Promise<void> {
    if (targetId === actor.id)
      throw new AppError("BAD_REQUEST", "NOT_ALLOWED", "Leave the room instead of kicking yourself");
    const result = await db.transaction(async (tx) => {
      const me = await assertRole(
        actor.id,
        roomId,
        ["owner", "moderator"],
        "owners and moderators can remove members",
        tx,
      );
      const target = await assertMember(targetId, roomId, tx).catch(() => {
        throw new AppError("NOT_FOUND", "NOT_A_MEMBER", "That user is not in this room");
      });
      if (me.role === "moderator" && target.role !== "member") throw notAllowed("owners can remove moderators");
      const outcome = await removeMember(tx, roomId, targetId);
      if (!outcome) throw new AppError("NOT_FOUND", "NOT_A_MEMBER", "That user is not in this room");
      const logged = await appendToRoom(tx, {
        roomId,
        sender: actor,
        content: `${target.username} was removed by ${actor.username}`,
        messageType: "system",
      });
      return logged ? [logged] : [];
    });
    await afterRemoval(roomId, targetId, result, false);
  }

  async function setRole(actor: Actor, roomId: string, targetId: string, role: "moderator" | "member") {
    const logged = await db.transaction(async (tx) => {
      await assertRole(actor.id, roomId, ["owner"], "the owner can change roles", tx);
      const target = await assertMember(targetId, roomId, tx).catch(() => {
        throw new AppError("NOT_FOUND", "NOT_A_MEMBER", "That user is not in this room");
      });
      if (target.role === "owner") throw notAllowed("the owner's role cannot be changed");
      if (target.role === role) return null;
      await tx
        .update(roomMembers)
        .set({ role })
        .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, targetId)));
      return appendToRoom(tx, {
        roomId,
        sender: actor,
        content:
          role === "moderator"
            ? `${target.username} is now a moderator`
            : `${target.username} is no longer a moderator`,
        messageType: "system",
      });
    });
    if (logged) await publishMessages(roomId, [logged]);
  }

  async function update(
    actor: Actor,
    input: {
      roomId: string;
      name?: string | undefined;
      description?: string | undefined;
      category?: RoomCategory | undefined;
      password?: string | undefined;
    },
  ): Promise<Room> {
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    const result = await db.transaction(async (tx) => {
      await assertRole(actor.id, input.roomId, ["owner"], "the owner can edit the room", tx);
      const [before] = await tx.select().from(chatRooms).where(eq(chatRooms.id, input.roomId));
      if (!before) throw roomNotFound();
      if (passwordHash && !before.isPrivate && !before.isSuperSecret) {
        throw new AppError("BAD_REQUEST", "NOT_ALLOWED", "password: public rooms have no password");
      }
      await tx
        .update(chatRooms)
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.category !== undefined ? { category: input.category } : {}),
          ...(passwordHash ? { passwordHash } : {}),
        })
        .where(eq(chatRooms.id, input.roomId));
      const renamed =
        input.name !== undefined && input.name !== before.name
          ? await appendToRoom(tx, {
              roomId: input.roomId,
              sender: actor,
              content: `${actor.username} renamed the room to "${input.name}"`,
              messageType: "system",
            })
          : null;
      const row = await findWithRole(actor.id, input.roomId, tx);
      return { room: toRoom(row.room, row.role), renamed };
    });
    if (result.renamed) await publishMessages(input.roomId, [result.renamed]);
    return result.room;
  }

  async function remove(actor: Actor, roomId: string): Promise<void> {
    const memberIds = await db.transaction(async (tx) => {
      await assertRole(actor.id, roomId, ["owner"], "the owner can delete the room", tx);
      const members = await tx
        .select({ userId: roomMembers.userId })
        .from(roomMembers)
        .where(eq(roomMembers.roomId, roomId));
      await tx.delete(chatRooms).where(eq(chatRooms.id, roomId));
      return members.map((m) => m.userId);
    });
    await bus.publish("room", roomId, { kind: "room-deleted", roomId });
    for (const userId of memberIds) await roomsChanged(userId);
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

  return {
    create,
    list,
    mine,
    myRoomIds,
    markRead,
    get,
    join,
    joinByCode,
    leave,
    kick,
    setRole,
    update,
    remove,
    members,
    assertMember,
    currentSeq,
  };
}
