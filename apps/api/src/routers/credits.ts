import { creditBalanceSchema, creditHistoryInput, creditHistoryPageSchema } from "@murmur/api-contract";
import { createTRPCRouter, protectedProcedure, validateSync } from "../trpc";

export const creditsRouter = createTRPCRouter({
  balance: protectedProcedure
    .output(validateSync(creditBalanceSchema))
    .query(({ ctx }) => ctx.services.credits.balance(ctx.user.id)),

  history: protectedProcedure
    .input(creditHistoryInput)
    .output(validateSync(creditHistoryPageSchema))
    .query(({ ctx, input }) => ctx.services.credits.history(ctx.user.id, input)),
});
