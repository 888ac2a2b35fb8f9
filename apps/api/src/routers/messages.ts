import {
  historyInput,
  historyPageSchema,
  messageSchema,
  onRoomInput,
  sendMessageInput,
  type Message,
} from "@murmur/api-contract";
import type { Context } from "../context";
import type { MessageService } from "../services/messages";
import { gapless } from "../live/gapless";
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

/**
 * Messages whose fan-out latency this process has recorded: once per message, at its first live
 * delivery here. A histogram observation per recipient cost more than the delivery itself.
 */
const timedMessages = new WeakSet<Message>();

function timeFanout(message: Message): void {
  if (timedMessages.has(message)) return;
  timedMessages.add(message);
  metrics.fanoutLatency.observe(Math.max(0, Date.now() - message.createdAt.getTime()) / 1000);
}

/** A room's stored messages after `after`, numbered for gapless (one generator function for all subscriptions). */
async function* storedAfter(messages: MessageService, roomId: string, after: number) {
  for await (const message of messages.range(roomId, after)) yield { seq: message.seq, value: message };
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
    counted("messages.onRoom", ({ ctx, input, signal }, slot) => {
      const abort = subscriptionSignal(signal);
      const { roomId } = input;
      const userId = ctx.user.id;
      // The stream itself, not a generator around it: each layer of generators costs every idle
      // subscription its own pending promises.
      return gapless<Message>({
        signal: abort,
        capacity: LIVE_BUFFER,
        slot,
        authorize: () => ctx.services.rooms.assertMember(userId, roomId),
        async listen(push) {
          await ctx.bus.subscribe(
            "room",
            roomId,
            (event) => {
              if (event.kind === "message") push({ kind: "item", seq: event.message.seq, value: event.message });
              // Left, removed, or the room deleted: the stream ends, and history is closed to them.
              else if (event.kind === "room-deleted" || event.userId === userId) push({ kind: "end" });
            },
            abort,
          );
        },
        bus: ctx.bus,
        lastEventId: input.lastEventId,
        current: () => ctx.services.rooms.currentSeq(roomId),
        read: (after) => storedAfter(ctx.services.messages, roomId, after),
        onLive: timeFanout,
      });
    }),
  ),
});
