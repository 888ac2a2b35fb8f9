import { z } from "zod";
import { historyPage, idSchema, lastEventIdSchema } from "./common";
import { DELIVERY_REPORT, LIMITS } from "./limits";

export const MESSAGE_TYPES = ["text", "system"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Half of a surrogate pair: text PostgreSQL cannot store as sent (nor NUL, checked apart). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (s: string) => !s.includes("\u0000") && !LONE_SURROGATE.test(s);

export const messageContentSchema = z
  .string()
  .max(LIMITS.messageMax, `Messages are at most ${LIMITS.messageMax} characters`)
  .refine((s) => s.trim().length > 0, "Message is empty")
  .refine(storable, "Message contains characters that cannot be stored");

/** Chosen by the sending client once per message, so a retried send is stored once. */
export const clientMessageIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.clientMessageIdMax)
  .regex(/^[A-Za-z0-9_-]+$/, "clientMessageId may contain only letters, digits, '-' and '_'");

export const sendMessageInput = z.object({
  roomId: idSchema,
  content: messageContentSchema,
  clientMessageId: clientMessageIdSchema,
});

export const historyInput = z.object({ roomId: idSchema, ...historyPage });

export const onRoomInput = z.object({
  roomId: idSchema,
  lastEventId: lastEventIdSchema,
});

export const messageSchema = z.object({
  id: z.uuid(),
  roomId: z.uuid().nullable(),
  /** Position in the room: every member sees the same order, with no gaps. */
  seq: z.number().int(),
  sender: z.object({ id: z.uuid(), username: z.string() }).nullable(),
  content: z.string(),
  messageType: z.enum(MESSAGE_TYPES),
  clientMessageId: z.string().nullable(),
  createdAt: z.date(),
});
export type Message = z.infer<typeof messageSchema>;

export const historyPageSchema = z.object({
  /** Newest first. */
  items: z.array(messageSchema),
  nextCursor: z.string().nullable(),
});

export const deliveryReportInput = z.object({
  samplesMs: z.array(z.number().finite().min(0).max(DELIVERY_REPORT.maxMs)).min(1).max(DELIVERY_REPORT.maxSamples),
});
