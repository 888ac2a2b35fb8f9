import {
  historyInput,
  historyPageSchema,
  messageSchema,
  onRoomInput,
  sendMessageInput,
  type Message,
} from "@murmur/api-contract";
import type { Context, SignedInContext } from "../context";
import type { Services } from "../services";
import { LiveStream } from "../live/live-stream";
import { metrics } from "../metrics";
import { createTRPCRouter, protectedProcedure, syncParser } from "../trpc";

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

/**
 * Live messages of one room, resumable: listen to the bus first, then backfill everything after
 * `lastEventId` from the database, then stream live. Sequence numbers are gapless per room, so a
 * live event that skips ahead is preceded by a read of what it skipped, and anything already
 * handed out is dropped: no gap, no duplicate, history's order.
 */
class RoomMessages extends LiveStream<Message> {
  // What it needs rather than the call's whole context, which an idle stream would keep for hours.
  private readonly services: Services;
  private readonly userId: string;
  private readonly roomId: string;

  constructor(
    ctx: SignedInContext,
    input: { roomId: string; lastEventId?: string | null | undefined },
    signal: AbortSignal | undefined,
  ) {
    super("messages.onRoom", ctx.connection, ctx.bus, input.lastEventId, signal);
    this.services = ctx.services;
    this.userId = ctx.user.id;
    this.roomId = input.roomId;
  }

  protected authorize() {
    return this.services.rooms.assertMember(this.userId, this.roomId);
  }

  protected listen() {
    const { userId } = this;
    return this.bus.subscribe("room", this.roomId, (event) => {
      if (event.kind === "message") this.push({ kind: "item", seq: event.message.seq, value: event.message });
      // Left, removed, or the room deleted: the stream ends, and history is closed to them.
      else if (event.kind === "room-deleted" || event.userId === userId) this.push({ kind: "end" });
    });
  }

  protected current() {
    return this.services.rooms.currentSeq(this.roomId);
  }

  protected async *read(after: number) {
    for await (const message of this.services.messages.range(this.roomId, after))
      yield { seq: message.seq, value: message };
  }

  protected override onLive(message: Message) {
    timeFanout(message);
  }
}

export const messagesRouter = createTRPCRouter({
  send: protectedProcedure
    .input(sendMessageInput)
    .output(syncParser(messageSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.rateLimits.messages.consume(ctx.user.id);
      const message = await ctx.services.messages.send(ctx.user.id, input);
      await ctx.services.typing.clear(ctx.user, { roomId: input.roomId });
      notifyMentions(ctx, message);
      return message;
    }),

  history: protectedProcedure
    .input(historyInput)
    .output(syncParser(historyPageSchema))
    .query(({ ctx, input }) => ctx.services.messages.history(ctx.user.id, input)),

  onRoom: protectedProcedure
    .input(onRoomInput)
    .subscription(({ ctx, input, signal }) => new RoomMessages(ctx, input, signal)),
});
