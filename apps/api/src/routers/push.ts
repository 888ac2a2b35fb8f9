import { okSchema, pushConfigSchema, pushEndpointInput, pushSubscriptionInput } from "@murmur/api-contract";
import { createTRPCRouter, protectedProcedure, syncParser } from "../trpc";

export const pushRouter = createTRPCRouter({
  config: protectedProcedure
    .output(syncParser(pushConfigSchema))
    .query(async ({ ctx }) => ({ publicKey: await ctx.services.push.publicKey() })),

  subscribe: protectedProcedure
    .input(pushSubscriptionInput)
    .output(syncParser(okSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.push.subscribe(ctx.user.id, input);
      return { ok: true as const };
    }),

  unsubscribe: protectedProcedure
    .input(pushEndpointInput)
    .output(syncParser(okSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.push.unsubscribe(ctx.user.id, input.endpoint);
      return { ok: true as const };
    }),
});
