import {
  historyInput,
  historyPageSchema,
  messageSchema,
  onRoomInput,
  sendMessageInput,
  type Message,
  type RoomEvent,
} from "@murmur/api-contract";
import { tracked } from "@trpc/server";
import { EventQueue } from "../bus/queue";
import type { Context } from "../context";
import { metrics } from "../metrics";
import { counted, createTRPCRouter, protectedProcedure, subscriptionSignal } from "../trpc";

/** Mentioned members who are offline get a Web Push; it never delays or fails the send. */
function notifyMentions(ctx: Context, message: Message) {
  const { push } = ctx.services;
  void push
    .mentionedOffline(message.roomId ?? "", message.sender?.id ?? "", message.content)
    .then((userIds) =>
      push.notifyOffline(userIds, {
        title: `${message.sender?.username ?? "Someone"} mentioned you`,
        body: message.content.slice(0, 200),
        url: `/rooms/${message.roomId ?? ""}`,
      }),
    )
    .catch((err: unknown) => ctx.log.warn({ err }, "mention push failed"));
}

/** How far a subscriber may fall behind live traffic before it is cut off to resume later. */
const LIVE_BUFFER = 2_000;

export const messagesRouter = createTRPCRouter({
  send: protectedProcedure
    .input(sendMessageInput)
    .output(messageSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.rateLimits.messages.consume(ctx.user.id);
      const message = await ctx.services.messages.send(ctx.user.id, input);
      await ctx.services.typing.clear(ctx.user, { roomId: input.roomId });
      notifyMentions(ctx, message);
      return message;
    }),

  history: protectedProcedure
    .input(historyInput)
    .output(historyPageSchema)
    .query(({ ctx, input }) => ctx.services.messages.history(ctx.user.id, input)),

  /**
   * Live messages of one room, resumable: listen to the bus first, then backfill everything after
   * `lastEventId` from the database, then stream live. Sequence numbers are gapless per room, so a
   * live event that skips ahead is preceded by a read of what it skipped, and anything already
   * yielded is dropped: no gap, no duplicate, history's order.
   */
  onRoom: protectedProcedure.input(onRoomInput).subscription(
    counted("messages.onRoom", async function* ({ ctx, input, signal }) {
      const abort = subscriptionSignal(signal);
      const { roomId } = input;
      const userId = ctx.user.id;
      await ctx.services.rooms.assertMember(userId, roomId);

      const live = new EventQueue<RoomEvent | { kind: "resync" }>(LIVE_BUFFER, abort);
      await ctx.bus.subscribe("room", roomId, (event) => live.push(event), abort);
      // After a bus outage, live events may be missing: whatever was stored meanwhile is read back.
      ctx.bus.onRecover(() => live.push({ kind: "resync" }), abort);

      let last = input.lastEventId != null ? Number(input.lastEventId) : await ctx.services.rooms.currentSeq(roomId);
      const emit = (message: Message) => {
        last = message.seq;
        return tracked(String(message.seq), message);
      };

      for await (const message of ctx.services.messages.range(roomId, last)) yield emit(message);

      for await (const event of live) {
        if (event.kind === "resync") {
          for await (const missed of ctx.services.messages.range(roomId, last)) yield emit(missed);
          continue;
        }
        if (event.kind === "room-deleted") return;
        if (event.kind === "member-left") {
          // Left or removed: the stream ends at once, and history is closed to them from now on.
          if (event.userId === userId) return;
          continue;
        }
        const { message } = event;
        if (message.seq <= last) continue;
        if (message.seq > last + 1) {
          for await (const missed of ctx.services.messages.range(roomId, last, message.seq)) yield emit(missed);
        }
        metrics.fanoutLatency.observe(Math.max(0, Date.now() - message.createdAt.getTime()) / 1000);
        yield emit(message);
      }
    }),
  ),
});
