import {
  dmConversationPageSchema,
  dmConversationsInput,
  dmHistoryInput,
  dmHistoryPageSchema,
  dmMessageSchema,
  markDmReadInput,
  onDmInput,
  publicUserSchema,
  sendDmInput,
  userIdInput,
  type DmEvent,
  okSchema,
} from "@murmur/api-contract";
import { z } from "zod";
import type { SignedInContext } from "../context";
import { LiveStream } from "../live/live-stream";
import type { DmService } from "../services/dm";
import { createTRPCRouter, protectedProcedure, syncParser } from "../trpc";

/**
 * Every DM to or from me and every read receipt, on all my tabs, resumable like a room: listen
 * first, backfill my event stream after `lastEventId`, then live with gaps filled.
 */
class DmEvents extends LiveStream<DmEvent> {
  // What it needs rather than the call's whole context, which an idle stream would keep for hours.
  private readonly dm: DmService;
  private readonly userId: string;

  constructor(ctx: SignedInContext, lastEventId: string | null | undefined, signal: AbortSignal | undefined) {
    super("dm.onMessage", ctx.connection, ctx.bus, lastEventId, signal);
    this.dm = ctx.services.dm;
    this.userId = ctx.user.id;
  }

  /** A user's own event stream needs no check beyond being signed in. */
  protected authorize() {
    return Promise.resolve();
  }

  protected listen() {
    return this.bus.subscribe("user", this.userId, (event) => {
      if (event.kind === "dm") this.push({ kind: "item", seq: event.eventSeq, value: event.event });
    });
  }

  protected current() {
    return this.dm.currentEventSeq(this.userId);
  }

  protected async *read(after: number) {
    for await (const item of this.dm.events(this.userId, after)) yield { seq: item.eventSeq, value: item.event };
  }
}

export const dmRouter = createTRPCRouter({
  send: protectedProcedure
    .input(sendDmInput)
    .output(syncParser(dmMessageSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.rateLimits.messages.consume(ctx.user.id);
      const message = await ctx.services.dm.send(ctx.user.id, input);
      await ctx.services.typing.clear(ctx.user, { peerId: message.recipient.id });
      // An offline recipient gets a Web Push; it never delays or fails the send.
      void ctx.services.push
        .notifyOffline([message.recipient.id], {
          title: `Message from ${message.sender.username}`,
          body: message.content.slice(0, 200),
          url: `/dm/${message.sender.id}`,
        })
        .catch((err: unknown) => ctx.log.warn({ err }, "DM push failed"));
      return message;
    }),

  conversations: protectedProcedure
    .input(dmConversationsInput)
    .output(syncParser(dmConversationPageSchema))
    .query(({ ctx, input }) => ctx.services.dm.conversations(ctx.user.id, input)),

  history: protectedProcedure
    .input(dmHistoryInput)
    .output(syncParser(dmHistoryPageSchema))
    .query(({ ctx, input }) => ctx.services.dm.history(ctx.user.id, input)),

  markRead: protectedProcedure
    .input(markDmReadInput)
    .output(syncParser(z.object({ updated: z.number().int() })))
    .mutation(({ ctx, input }) => ctx.services.dm.markRead(ctx.user.id, input)),

  block: protectedProcedure
    .input(userIdInput)
    .output(syncParser(okSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.dm.block(ctx.user.id, input.userId);
      return { ok: true as const };
    }),

  unblock: protectedProcedure
    .input(userIdInput)
    .output(syncParser(okSchema))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.dm.unblock(ctx.user.id, input.userId);
      return { ok: true as const };
    }),

  blocked: protectedProcedure
    .output(syncParser(z.array(publicUserSchema)))
    .query(({ ctx }) => ctx.services.dm.blocked(ctx.user.id)),

  onMessage: protectedProcedure
    .input(onDmInput)
    .subscription(({ ctx, input, signal }) => new DmEvents(ctx, input.lastEventId, signal)),
});
