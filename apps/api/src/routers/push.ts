import { pushConfigSchema, pushEndpointInput, pushSubscriptionInput } from "@murmur/api-contract";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const ok = z.object({ ok: z.literal(true) });

export const pushRouter = createTRPCRouter({
  config: protectedProcedure
    .output(pushConfigSchema)
    .query(async ({ ctx }) => ({ publicKey: await ctx.services.push.publicKey() })),

  subscribe: protectedProcedure
    .input(pushSubscriptionInput)
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.push.subscribe(ctx.user.id, input);
      return { ok: true as const };
    }),

  unsubscribe: protectedProcedure
    .input(pushEndpointInput)
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.push.unsubscribe(ctx.user.id, input.endpoint);
      return { ok: true as const };
    }),
});
