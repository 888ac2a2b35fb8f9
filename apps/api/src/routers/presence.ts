import type { PresenceEvent, PresenceItem } from "@murmur/api-contract";
import type { Unsubscribe } from "../bus/event-bus";
import { EventQueue } from "../bus/queue";
import { counted, createTRPCRouter, protectedProcedure, subscriptionSignal } from "../trpc";

type Item = { kind: "presence"; event: PresenceEvent } | { kind: "rooms-changed" } | { kind: "recovered" };

export const presenceRouter = createTRPCRouter({
  /** Online/offline changes of the people I share a room or a DM with; nobody else's. */
  on: protectedProcedure.subscription(
    counted("presence.on", async function* ({ ctx, signal }) {
      const me = ctx.user.id;
      const abort = subscriptionSignal(signal);
      const queue = new EventQueue<Item>(5_000, abort);
      // Changes may have been lost in an outage: the client reads presence again on "listening".
      const stops: Unsubscribe[] = [ctx.bus.onRecover(() => queue.push({ kind: "recovered" }), abort)];
      try {
        stops.push(
          await ctx.bus.subscribe("presence", "all", (event) => queue.push({ kind: "presence", event }), abort),
        );
        stops.push(
          await ctx.bus.subscribe(
            "user",
            me,
            (event) => {
              if (event.kind === "rooms-changed") queue.push({ kind: "rooms-changed" });
            },
            abort,
          ),
        );
        let myRooms = new Set(await ctx.services.rooms.myRoomIds(me));
        const listening = { type: "listening" } as const satisfies PresenceItem;
        yield listening;

        for await (const item of queue) {
          if (item.kind === "recovered") {
            yield listening;
            continue;
          }
          if (item.kind === "rooms-changed") {
            myRooms = new Set(await ctx.services.rooms.myRoomIds(me));
            continue;
          }
          const { event } = item;
          if (event.userId === me) continue;
          if (!event.dmPeerIds.includes(me) && !event.roomIds.some((id) => myRooms.has(id))) continue;
          yield {
            type: "change",
            userId: event.userId,
            username: event.username,
            isOnline: event.isOnline,
            lastSeen: event.lastSeen,
          } satisfies PresenceItem;
        }
      } finally {
        for (const stop of stops) stop();
      }
    }),
  ),
});
