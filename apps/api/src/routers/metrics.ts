import { deliveryReportInput } from "@murmur/api-contract";
import { z } from "zod";
import { metrics } from "../metrics";
import { createTRPCRouter, protectedProcedure, syncParser } from "../trpc";

export const metricsRouter = createTRPCRouter({
  /**
   * The web reports how long its own sends took to come back on its subscription. Samples are
   * bounded by the contract and counted against the caller's message budget, so a client cannot
   * flood the histogram.
   */
  reportDelivery: protectedProcedure
    .input(deliveryReportInput)
    .output(syncParser(z.object({ accepted: z.number().int() })))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.rateLimits.reports.consume(ctx.user.id);
      for (const ms of input.samplesMs) metrics.clientDelivery.observe(ms / 1000);
      return { accepted: input.samplesMs.length };
    }),
});
