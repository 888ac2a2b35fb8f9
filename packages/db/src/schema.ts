import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { CREDIT_REASONS, LIMITS, MESSAGE_TYPES, ROOM_ROLES, USER_EVENT_KINDS } from "@murmur/api-contract";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: varchar("username", { length: LIMITS.usernameMax }).notNull(),
    email: varchar("email", { length: LIMITS.emailMax }).notNull(),
    passwordHash: text("password_hash").notNull(),
    credits: integer("credits").notNull().default(100),
    isOnline: boolean("is_online").notNull().default(false),
    lastSeen: timestamp("last_seen", { withTimezone: true, mode: "date" }),
    // The user's own event stream (DMs and read receipts), numbered like a room's messages.
    lastEventSeq: bigint("last_event_seq", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    // Usernames and emails are unique regardless of case: "Alice" and "alice" are one person.
    uniqueIndex("users_username_lower_idx").on(sql`lower(${t.username})`),
    uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`),
    check("users_credits_non_negative", sql`${t.credits} >= 0`),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const chatRooms = pgTable(
  "chat_rooms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: LIMITS.roomNameMax }).notNull(),
    description: varchar("description", { length: LIMITS.roomDescriptionMax }).notNull().default(""),
    category: varchar("category", { length: LIMITS.roomCategoryMax }).notNull().default("other"),
    creatorId: uuid("creator_id").references(() => users.id, { onDelete: "set null" }),
    isPrivate: boolean("is_private").notNull().default(false),
    isSuperSecret: boolean("is_super_secret").notNull().default(false),
    passwordHash: text("password_hash"),
    roomCode: varchar("room_code", { length: LIMITS.roomCodeLength }).notNull().unique(),
    memberLimit: integer("member_limit").notNull().default(LIMITS.memberLimitDefault),
    memberCount: integer("member_count").notNull().default(0),
    // The room's message sequence: bumped under the room's row lock in each send's
    // transaction, so sequence order is commit order and the numbers have no gaps.
    lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
    // Millisecond precision so the directory's keyset cursor (a JS Date) matches rows exactly.
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true, mode: "date", precision: 3 })
      .notNull()
      .defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    index("chat_rooms_activity_idx").on(t.lastActivityAt.desc(), t.id.desc()),
    check("chat_rooms_member_count_within_limit", sql`${t.memberCount} >= 0 AND ${t.memberCount} <= ${t.memberLimit}`),
  ],
);

export const roomMembers = pgTable(
  "room_members",
  {
    roomId: uuid("room_id")
      .notNull()
      .references(() => chatRooms.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: varchar("role", { length: 16, enum: ROOM_ROLES }).notNull().default("member"),
    joinedAt: timestamp("joined_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastReadSeq: bigint("last_read_seq", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index("room_members_user_idx").on(t.userId)],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    senderId: uuid("sender_id").references(() => users.id, { onDelete: "set null" }),
    receiverId: uuid("receiver_id").references(() => users.id, { onDelete: "cascade" }),
    roomId: uuid("room_id").references(() => chatRooms.id, { onDelete: "cascade" }),
    dmConversationId: uuid("dm_conversation_id").references(() => dmConversations.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    content: text("content").notNull(),
    messageType: varchar("message_type", { length: 20, enum: MESSAGE_TYPES }).notNull().default("text"),
    isRead: boolean("is_read").notNull().default(false),
    clientMessageId: varchar("client_message_id", { length: LIMITS.clientMessageIdMax }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_room_seq_idx")
      .on(t.roomId, t.seq)
      .where(sql`${t.roomId} IS NOT NULL`),
    uniqueIndex("messages_sender_client_id_idx")
      .on(t.senderId, t.clientMessageId)
      .where(sql`${t.clientMessageId} IS NOT NULL`),
    check("messages_room_or_dm", sql`(${t.roomId} IS NULL) <> (${t.receiverId} IS NULL)`),
    check("messages_dm_has_conversation", sql`(${t.dmConversationId} IS NULL) = (${t.receiverId} IS NULL)`),
    uniqueIndex("messages_dm_seq_idx")
      .on(t.dmConversationId, t.seq)
      .where(sql`${t.dmConversationId} IS NOT NULL`),
    index("messages_dm_unread_idx")
      .on(t.receiverId, t.dmConversationId)
      .where(sql`${t.receiverId} IS NOT NULL AND NOT ${t.isRead}`),
  ],
);

/** One row per pair of users who have exchanged a DM; user_a is the smaller id. */
export const dmConversations = pgTable(
  "dm_conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userA: uuid("user_a")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userB: uuid("user_b")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Like a room's: bumped under the row lock in each send's transaction.
    lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true, mode: "date", precision: 3 })
      .notNull()
      .defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("dm_conversations_pair_idx").on(t.userA, t.userB),
    index("dm_conversations_a_recent_idx").on(t.userA, t.lastMessageAt.desc(), t.id.desc()),
    index("dm_conversations_b_recent_idx").on(t.userB, t.lastMessageAt.desc(), t.id.desc()),
    check("dm_conversations_ordered_pair", sql`${t.userA} < ${t.userB}`),
  ],
);

/**
 * Each user's resumable stream of DM events: a message to or from them, or a read receipt.
 * `seq` is the event id a client resumes from, gapless per user like a room's messages.
 */
export const userEvents = pgTable(
  "user_events",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    kind: varchar("kind", { length: 16, enum: USER_EVENT_KINDS }).notNull(),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    /** For read receipts: the conversation, who read, and up to which message. */
    dmConversationId: uuid("dm_conversation_id").references(() => dmConversations.id, { onDelete: "cascade" }),
    readerId: uuid("reader_id").references(() => users.id, { onDelete: "cascade" }),
    upToSeq: bigint("up_to_seq", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.seq] })],
);

export const userBlocks = pgTable(
  "user_blocks",
  {
    blockerId: uuid("blocker_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedId: uuid("blocked_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] })],
);

/** Every change to a user's credits; `users.credits` always equals the sum of their rows here. */
export const creditLedger = pgTable(
  "credit_ledger",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    delta: integer("delta").notNull(),
    reason: varchar("reason", { length: 32, enum: CREDIT_REASONS }).notNull(),
    /** What the credits paid for or came from, e.g. the room created. */
    reference: uuid("reference"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("credit_ledger_user_idx").on(t.userId, t.createdAt.desc(), t.id.desc())],
);

/** Browsers that asked for Web Push: where to deliver, and the keys to encrypt for them. */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull().unique(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("push_subscriptions_user_idx").on(t.userId)],
);

/** Settings the server makes for itself once (e.g. its VAPID keys) and every process then shares. */
export const serverSettings = pgTable("server_settings", {
  key: varchar("key", { length: 64 }).primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

export type UserRow = typeof users.$inferSelect;
export type RoomRow = typeof chatRooms.$inferSelect;
export type RoomMemberRow = typeof roomMembers.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type RoomRole = RoomMemberRow["role"];
export type MessageType = MessageRow["messageType"];
export type DmConversationRow = typeof dmConversations.$inferSelect;
