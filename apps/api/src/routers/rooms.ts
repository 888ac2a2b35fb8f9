import {
  createRoomInput,
  listRoomsInput,
  roomIdInput,
  roomMemberSchema,
  roomPageSchema,
  roomSchema,
} from "@murmur/api-contract";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const roomsRouter = createTRPCRouter({
  create: protectedProcedure
    .input(createRoomInput)
    .output(roomSchema)
    .mutation(({ ctx, input }) => ctx.services.rooms.create(ctx.user.id, input)),

  list: protectedProcedure
    .input(listRoomsInput)
    .output(roomPageSchema)
    .query(({ ctx, input }) => ctx.services.rooms.list(ctx.user.id, input)),

  mine: protectedProcedure.output(z.array(roomSchema)).query(({ ctx }) => ctx.services.rooms.mine(ctx.user.id)),

  get: protectedProcedure
    .input(roomIdInput)
    .output(roomSchema)
    .query(({ ctx, input }) => ctx.services.rooms.get(ctx.user.id, input.roomId)),

  join: protectedProcedure
    .input(roomIdInput)
    .output(roomSchema)
    .mutation(({ ctx, input }) => ctx.services.rooms.join(ctx.user.id, input.roomId)),

  leave: protectedProcedure
    .input(roomIdInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.rooms.leave(ctx.user.id, input.roomId);
      return { ok: true as const };
    }),

  members: protectedProcedure
    .input(roomIdInput)
    .output(z.array(roomMemberSchema))
    .query(({ ctx, input }) => ctx.services.rooms.members(ctx.user.id, input.roomId)),
});
