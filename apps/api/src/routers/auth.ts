import { loginInput, loginOutput, meSchema, registerInput } from "@murmur/api-contract";
import { z } from "zod";
import type { Context } from "../context";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

function startSession(ctx: Context, token: string) {
  ctx.setCookie(ctx.auth.sessionCookie(token, ctx.secure));
}

export const authRouter = createTRPCRouter({
  register: publicProcedure
    .input(registerInput)
    .output(loginOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.users.register(input);
      startSession(ctx, result.token);
      return result;
    }),

  login: publicProcedure
    .input(loginInput)
    .output(loginOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.users.login(input);
      startSession(ctx, result.token);
      return result;
    }),

  logout: protectedProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    await ctx.auth.invalidate(ctx.user.sessionToken);
    ctx.setCookie(ctx.auth.blankCookie(ctx.secure));
    return { ok: true as const };
  }),

  me: protectedProcedure.output(meSchema).query(({ ctx }) => ctx.services.users.me(ctx.user.id)),
});
