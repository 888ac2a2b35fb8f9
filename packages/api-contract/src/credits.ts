import { z } from "zod";

export const CREDIT_REASONS = ["signup", "room-private", "room-super-secret"] as const;
export type CreditReason = (typeof CREDIT_REASONS)[number];

export const DEFAULT_ROOM_PRICES = { private: 10, superSecret: 25 } as const;

export const creditBalanceSchema = z.object({
  balance: z.number().int(),
  /** What each paid action costs on this server, to show before the user commits to it. */
  prices: z.object({ privateRoom: z.number().int(), superSecretRoom: z.number().int() }),
});

export const creditHistoryInput = z.object({ cursor: z.string().max(200).nullish() }).default({});

export const creditEntrySchema = z.object({
  id: z.uuid(),
  delta: z.number().int(),
  reason: z.enum(CREDIT_REASONS),
  reference: z.uuid().nullable(),
  createdAt: z.date(),
});
export type CreditEntry = z.infer<typeof creditEntrySchema>;

export const creditHistoryPageSchema = z.object({
  items: z.array(creditEntrySchema),
  nextCursor: z.string().nullable(),
});
