import {
  createRoomInput,
  joinByCodeInput,
  joinRoomInput,
  listRoomsInput,
  markRoomReadInput,
  myRoomSchema,
  roomIdInput,
  roomMemberInput,
  roomMemberSchema,
  roomPageSchema,
  roomSchema,
  setRoleInput,
  updateRoomInput,
  type RoomActivity,
  okSchema,
} from "@murmur/api-contract";
import { z } from "zod";
import type { Unsubscribe } from "../bus/event-bus";
import { EventQueue } from "../bus/queue";
import { counted, createTRPCRouter, protectedProcedure, subscriptionSignal, syncParser } from "../trpc";

export const roomsRouter = createTRPCRouter({
  create: protectedProcedure
    .input(createRoomInput)
    .output(syncParser(roomSchema))
    .mutation(({ ctx, input }) => ctx.services.rooms.create(ctx.user, input)),

  list: protectedProcedure
    .input(listRoomsInput)
    .output(syncParser(roomPageSchema))
    .query(({ ctx, input }) => ctx.services.rooms.list(ctx.user.id, input)),

  mine: protectedProcedure
    .output(syncParser(z.array(myRoomSchema)))
    .query(({ ctx }) => ctx.services.rooms.mine(ctx.user.id)),

  markRead: protectedProcedure
    .input(markRoomReadInput)
    .output(syncParser(z.object({ lastReadSeq: z.number().int() })))
    .mutation(({ ctx, input }) => ctx.services.rooms.markRead(ctx.user.id, input.roomId, input.upTo)),

  /** New messages in any of my rooms, my read pointers moving (other tabs), and my room list changing. */
  onActivity: protectedProcedure.subscription(
    counted("rooms.onActivity", async function* ({ ctx, signal }) {
      const me = ctx.user.id;
      const abort = subscriptionSignal(signal);
      const queue = new EventQueue<RoomActivity>(5_000, abort);
      // One bus listener per room of mine, all on the subscription's signal (a controller of their
      // own cost an idle connection about a kilobyte per room), and removed in the finally below
      // when the stream ends by itself.
      const watched = new Map<string, Unsubscribe>();
      let stopUser: Unsubscribe | undefined;
      // Changes may have been lost in an outage: the client reads its rooms again on "listening".
      const stopRecovering = ctx.bus.onRecover(() => queue.push({ type: "listening" }), abort);
      const watchRooms = async () => {
        const ids = new Set(await ctx.services.rooms.myRoomIds(me));
        for (const [roomId, stop] of watched) {
          if (!ids.has(roomId)) {
            stop();
            watched.delete(roomId);
          }
        }
        for (const roomId of ids) {
          if (watched.has(roomId)) continue;
          const stop = await ctx.bus.subscribe(
            "room",
            roomId,
            (event) => {
              if (event.kind === "message") queue.push({ type: "message", roomId, message: event.message });
            },
            abort,
          );
          watched.set(roomId, stop);
        }
      };
      try {
        stopUser = await ctx.bus.subscribe(
          "user",
          me,
          (event) => {
            if (event.kind === "rooms-changed") queue.push({ type: "rooms-changed" });
            if (event.kind === "room-read")
              queue.push({ type: "read", roomId: event.roomId, lastReadSeq: event.lastReadSeq });
          },
          abort,
        );
        await watchRooms();
        yield { type: "listening" } satisfies RoomActivity;
        for await (const item of queue) {
          if (item.type === "rooms-changed") await watchRooms();
          yield item;
        }
      } finally {
        stopRecovering();
        stopUser?.();
        for (const stop of watched.values()) stop();
      }
    }),
  ),

  get: protectedProcedure
    .input(roomIdInput)
    .output(syncParser(roomSchema))
    .query(({ ctx, input }) => ctx.services.rooms.get(ctx.user.id, input.roomId)),

  join: protectedProcedure
    .input(joinRoomInput)
    .output(syncParser(roomSchema))
    .mutation(({ ctx, input }) => ctx.services.rooms.join({ ...ctx.user, ip: ctx.ip }, input.roomId, input.password)),

  joinByCode: protectedProcedure
    .input(joinByCodeInput)
    .output(syncParser(roomSchema))
    .mutation(({ ctx, input }) =>
      ctx.services.rooms.joinByCode({ ...ctx.user, ip: ctx.ip }, input.code, input.password),
    ),

  leave: protectedProcedure
    .input(roomIdInput)
    .output(syncParser(okSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.rooms.leave(ctx.user, input.roomId);
      return { ok: true as const };
    }),

  members: protectedProcedure
    .input(roomIdInput)
    .output(syncParser(z.array(roomMemberSchema)))
    .query(({ ctx, input }) => ctx.services.rooms.members(ctx.user.id, input.roomId)),

  update: protectedProcedure
    .input(updateRoomInput)
    .output(syncParser(roomSchema))
    .mutation(({ ctx, input }) => ctx.services.rooms.update(ctx.user, input)),

  setRole: protectedProcedure
    .input(setRoleInput)
    .output(syncParser(okSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.rooms.setRole(ctx.user, input.roomId, input.userId, input.role);
      return { ok: true as const };
    }),

  kick: protectedProcedure
    .input(roomMemberInput)
    .output(syncParser(okSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.rooms.kick(ctx.user, input.roomId, input.userId);
      return { ok: true as const };
    }),

  delete: protectedProcedure
    .input(roomIdInput)
    .output(syncParser(okSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.rooms.remove(ctx.user, input.roomId);
      return { ok: true as const };
    }),
});
