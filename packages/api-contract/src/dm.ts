import { z } from "zod";
import { historyPage, idSchema, lastEventIdSchema } from "./common";
import { clientMessageIdSchema, messageContentSchema } from "./messages";
import { publicUserSchema, usernameSchema } from "./users";

export const USER_EVENT_KINDS = ["dm-message", "dm-read"] as const;

const userRef = z.object({ id: z.uuid(), username: z.string() });

export const sendDmInput = z.union([
  z.object({ toUserId: idSchema, content: messageContentSchema, clientMessageId: clientMessageIdSchema }),
  z.object({ toUsername: usernameSchema, content: messageContentSchema, clientMessageId: clientMessageIdSchema }),
]);

export const dmMessageSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  /** Position in the conversation: both sides see the same order, with no gaps. */
  seq: z.number().int(),
  sender: userRef,
  recipient: userRef,
  content: z.string(),
  clientMessageId: z.string().nullable(),
  isRead: z.boolean(),
  createdAt: z.date(),
});
export type DmMessage = z.infer<typeof dmMessageSchema>;

/**
 * What `dm.onMessage` yields: a DM to or from me, or a receipt that `readerId` read the conversation
 * up to `upToSeq` (the other side: "seen"; myself in another tab: no longer unread).
 */
export type DmEvent =
  { type: "message"; message: DmMessage } | { type: "read"; conversationId: string; readerId: string; upToSeq: number };

export const userIdInput = z.object({ userId: idSchema });

export const dmHistoryInput = z.object({ peerId: idSchema, ...historyPage });

export const dmHistoryPageSchema = z.object({
  items: z.array(dmMessageSchema),
  nextCursor: z.string().nullable(),
});

export const dmConversationsInput = z.object({ cursor: z.string().max(200).nullish() }).default({});

export const dmConversationSchema = z.object({
  id: z.uuid(),
  peer: publicUserSchema,
  lastMessage: dmMessageSchema.nullable(),
  unreadCount: z.number().int(),
  lastMessageAt: z.date(),
});
export type DmConversation = z.infer<typeof dmConversationSchema>;

export const dmConversationPageSchema = z.object({
  items: z.array(dmConversationSchema),
  nextCursor: z.string().nullable(),
  /**
   * The reader's DM event number, read before the page: `dm.onMessage` started from it replays
   * whatever the page may have missed, so a client that loads its list first loses nothing.
   */
  eventSeq: z.number().int().min(0),
});

export const markDmReadInput = z.object({ peerId: idSchema, upTo: z.number().int().min(0) });

export const onDmInput = z.object({ lastEventId: lastEventIdSchema }).default({});
