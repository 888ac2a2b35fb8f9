import {
  changePasswordInput,
  loginInput,
  loginOutput,
  meSchema,
  registerInput,
  revokeSessionInput,
  sessionSchema,
  okSchema,
} from "@murmur/api-contract";
import { z } from "zod";
import type { Context } from "../context";
import { createTRPCRouter, protectedProcedure, publicProcedure, syncParser } from "../trpc";

function startSession(ctx: Context, token: string) {
  ctx.setCookie(ctx.auth.sessionCookie(token, ctx.secure));
}

export const authRouter = createTRPCRouter({
  register: publicProcedure
    .input(registerInput)
    .output(syncParser(loginOutput))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.users.register(input, ctx.ip);
      startSession(ctx, result.token);
      return result;
    }),

  login: publicProcedure
    .input(loginInput)
    .output(syncParser(loginOutput))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.users.login(input, ctx.ip);
      startSession(ctx, result.token);
      return result;
    }),

  /** Ends this session everywhere it is open: its WebSockets close within seconds. */
  logout: protectedProcedure.output(syncParser(okSchema)).mutation(async ({ ctx }) => {
    await ctx.services.users.logout(ctx.user.id, ctx.user.sessionToken);
    ctx.setCookie(ctx.auth.blankCookie(ctx.secure));
    return { ok: true as const };
  }),

  me: protectedProcedure.output(syncParser(meSchema)).query(({ ctx }) => ctx.services.users.me(ctx.user.id)),

  changePassword: protectedProcedure
    .input(changePasswordInput)
    .output(syncParser(z.object({ endedSessions: z.number().int() })))
    .mutation(({ ctx, input }) => ctx.services.users.changePassword(ctx.user, input)),

  sessions: protectedProcedure
    .output(syncParser(z.array(sessionSchema)))
    .query(({ ctx }) => ctx.services.users.sessions(ctx.user)),

  revokeSession: protectedProcedure
    .input(revokeSessionInput)
    .output(syncParser(okSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.users.revokeSession(ctx.user, input.sessionId);
      return { ok: true as const };
    }),
});
