import { z } from "zod";
import { idSchema, pageOf } from "./common";
import { LIMITS } from "./limits";
import { messageSchema, type Message } from "./messages";
import { publicUserSchema } from "./users";

export const ROOM_ROLES = ["owner", "moderator", "member"] as const;
export const roomRoleSchema = z.enum(ROOM_ROLES);
export type RoomRole = z.infer<typeof roomRoleSchema>;

export const ROOM_CATEGORIES = [
  "general",
  "technology",
  "gaming",
  "music",
  "movies",
  "sports",
  "science",
  "art",
  "books",
  "random",
  "other",
] as const;
export const roomCategorySchema = z.enum(ROOM_CATEGORIES);
export type RoomCategory = z.infer<typeof roomCategorySchema>;

export const roomNameSchema = z
  .string()
  .trim()
  .min(LIMITS.roomNameMin, "Give the room a name")
  .max(LIMITS.roomNameMax, `Room names are at most ${LIMITS.roomNameMax} characters`);

export const roomPasswordSchema = z
  .string()
  .min(LIMITS.roomPasswordMin, `Room passwords are at least ${LIMITS.roomPasswordMin} characters`)
  .max(LIMITS.passwordMax);

export const roomCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{8}$/, "Room codes are 8 letters and digits");

export const createRoomInput = z
  .object({
    name: roomNameSchema,
    description: z.string().trim().max(LIMITS.roomDescriptionMax).optional(),
    category: roomCategorySchema.optional(),
    isPrivate: z.boolean().default(false),
    isSuperSecret: z.boolean().default(false),
    password: roomPasswordSchema.optional(),
    memberLimit: z
      .number()
      .int()
      .min(LIMITS.memberLimitMin, `A room holds at least ${LIMITS.memberLimitMin} members`)
      .max(LIMITS.memberLimitMax, `A room holds at most ${LIMITS.memberLimitMax} members`)
      .default(LIMITS.memberLimitDefault),
  })
  .refine((r) => !(r.isPrivate || r.isSuperSecret) || r.password, {
    message: "Private and super-secret rooms need a password",
    path: ["password"],
  });

export const joinRoomInput = z.object({ roomId: idSchema, password: z.string().max(LIMITS.passwordMax).optional() });

export const joinByCodeInput = z.object({ code: roomCodeSchema, password: z.string().max(LIMITS.passwordMax) });

export const updateRoomInput = z.object({
  roomId: idSchema,
  name: roomNameSchema.optional(),
  description: z.string().trim().max(LIMITS.roomDescriptionMax).optional(),
  category: roomCategorySchema.optional(),
  /** A new password for a private or super-secret room. */
  password: roomPasswordSchema.optional(),
});

export const roomMemberInput = z.object({ roomId: idSchema, userId: idSchema });

export const setRoleInput = z.object({
  roomId: idSchema,
  userId: idSchema,
  role: z.enum(["moderator", "member"]),
});

export const listRoomsInput = z
  .object({
    cursor: z.string().max(200).nullish(),
    category: roomCategorySchema.optional(),
    q: z.string().trim().max(LIMITS.roomSearchMax).optional(),
  })
  .default({});

export const roomIdInput = z.object({ roomId: idSchema });

export const roomSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  creatorId: z.uuid().nullable(),
  isPrivate: z.boolean(),
  isSuperSecret: z.boolean(),
  memberLimit: z.number().int(),
  memberCount: z.number().int(),
  lastSeq: z.number().int(),
  lastActivityAt: z.date(),
  createdAt: z.date(),
  /** The caller's role in the room, or null when not a member. */
  myRole: roomRoleSchema.nullable(),
  /** The code to share for joining; shown to members only. */
  roomCode: z.string().nullable(),
});
export type Room = z.infer<typeof roomSchema>;

export const roomPageSchema = pageOf(roomSchema);

/** One of my rooms, for the sidebar: with my unread count and the latest message. */
export const myRoomSchema = roomSchema.extend({
  unreadCount: z.number().int(),
  lastReadSeq: z.number().int(),
  lastMessage: messageSchema.nullable(),
});
export type MyRoom = z.infer<typeof myRoomSchema>;

/**
 * What `rooms.onActivity` sends, so the sidebar's badges stay live without watching every room's
 * stream. "listening" comes first, once its listeners are in place (tRPC's "started" comes before
 * them), and again after the bus recovers from an outage: a read made on receiving it sees every
 * change before it, and later ones arrive as items.
 */
export type RoomActivity =
  | { type: "listening" }
  | { type: "message"; roomId: string; message: Message }
  | { type: "read"; roomId: string; lastReadSeq: number }
  | { type: "rooms-changed" };

export const markRoomReadInput = z.object({ roomId: idSchema, upTo: z.number().int().min(0) });

export const roomMemberSchema = z.object({
  user: publicUserSchema,
  role: roomRoleSchema,
  joinedAt: z.date(),
});
export type RoomMember = z.infer<typeof roomMemberSchema>;
