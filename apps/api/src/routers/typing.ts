import { setTypingInput, typingTargetInput, type TypingEvent } from "@murmur/api-contract";
import { z } from "zod";
import type { Unsubscribe } from "../bus/event-bus";
import { EventQueue } from "../bus/queue";
import { TypingView } from "../services/typing";
import { counted, createTRPCRouter, protectedProcedure, subscriptionSignal, syncParser } from "../trpc";

type Tick = { kind: "tick" } | { kind: "typing"; event: TypingEvent } | { kind: "gone" };

export const typingRouter = createTRPCRouter({
  set: protectedProcedure
    .input(setTypingInput)
    .output(syncParser(z.object({ ok: z.literal(true) })))
    .mutation(async ({ ctx, input }) => {
      const { isTyping, ...target } = input;
      await ctx.services.typing.set(ctx.user, target, isTyping);
      return { ok: true as const };
    }),

  /** The set of people typing in a room or DM, yielded whole each time it changes. */
  on: protectedProcedure.input(typingTargetInput).subscription(
    counted("typing.on", async function* ({ ctx, input, signal }) {
      const key = await ctx.services.typing.authorize(ctx.user.id, input);
      const abort = subscriptionSignal(signal);
      const queue = new EventQueue<Tick>(1_000, abort);
      const stops: Unsubscribe[] = [];
      let timer: NodeJS.Timeout | undefined;
      try {
        stops.push(await ctx.bus.subscribe("typing", key, (event) => queue.push({ kind: "typing", event }), abort));
        if ("roomId" in input) {
          // Leaving the room ends the watch: typing is for members only.
          stops.push(
            await ctx.bus.subscribe(
              "room",
              input.roomId,
              (event) => {
                if (event.kind === "room-deleted" || (event.kind === "member-left" && event.userId === ctx.user.id)) {
                  queue.push({ kind: "gone" });
                }
              },
              abort,
            ),
          );
        }

        const view = new TypingView(ctx.user.id, await ctx.services.typing.current(key));
        const scheduleExpiry = () => {
          clearTimeout(timer);
          const wait = view.nextExpiryIn();
          if (wait !== null) timer = setTimeout(() => queue.push({ kind: "tick" }), wait + 5);
        };

        let shown = JSON.stringify(view.state());
        yield view.state();
        scheduleExpiry();
        for await (const item of queue) {
          if (item.kind === "gone") return;
          if (item.kind === "typing") view.apply(item.event);
          view.expire();
          scheduleExpiry();
          const state = view.state();
          const serialized = JSON.stringify(state);
          if (serialized === shown) continue;
          shown = serialized;
          yield state;
        }
      } finally {
        clearTimeout(timer);
        for (const stop of stops) stop();
      }
    }),
  ),
});
