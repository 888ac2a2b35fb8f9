import { z } from "zod";
import { LIMITS } from "./limits";

export const idSchema = z.uuid();

/** tRPC fills `lastEventId` on reconnect with the id of the last tracked event the client saw. */
export const lastEventIdSchema = z
  .string()
  .regex(/^\d{1,15}$/, "lastEventId must be an event id this server gave out")
  .nullish();

/** Where the next page of a history starts (the `nextCursor` of the previous page), and its size. */
export const historyPage = {
  cursor: z
    .string()
    .regex(/^\d{1,15}$/)
    .nullish(),
  limit: z.number().int().min(1).max(LIMITS.historyPageMax).default(LIMITS.historyPageDefault),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
  });

/** The answer of a mutation that has nothing to return but its success. */
export const okSchema = z.object({ ok: z.literal(true) });
