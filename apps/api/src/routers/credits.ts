import { creditBalanceSchema, creditHistoryInput, creditHistoryPageSchema } from "@murmur/api-contract";
import { createTRPCRouter, protectedProcedure, syncParser } from "../trpc";

export const creditsRouter = createTRPCRouter({
  balance: protectedProcedure
    .output(syncParser(creditBalanceSchema))
    .query(({ ctx }) => ctx.services.credits.balance(ctx.user.id)),

  history: protectedProcedure
    .input(creditHistoryInput)
    .output(syncParser(creditHistoryPageSchema))
    .query(({ ctx, input }) => ctx.services.credits.history(ctx.user.id, input)),
});
