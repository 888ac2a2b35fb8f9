import { tracked, type TrackedEnvelope } from "@trpc/server";
import type { EventBus } from "../bus/event-bus";
import { EventQueue } from "../bus/queue";
import type { SubscriptionSlot } from "../ws-connection";
import { liveFrameTail, shareAcrossSubscribers } from "./wire";

/** What a resumable stream's live side can receive. */
export type LiveSignal<T> =
  | { kind: "item"; seq: number; value: T }
  /** Stop: the subscriber left, was removed, or the stream's subject is gone. */
  | { kind: "end" };

/** Besides live signals: the bus was down a while, or a gap waited long enough; read back. */
type Internal<T> = LiveSignal<T> | { kind: "resync" } | { kind: "gap-timeout" };

/** How long an out-of-order event waits for the ones before it before they are read from the database. */
export const GAP_WAIT_MS = 100;

/**
 * Turns a numbered, gapless sequence (a room's messages, a user's DM events) into a tracked
 * subscription stream that never skips and never repeats: it starts listening before reading the
 * backlog after `after`, drops what it already yielded, and holds an event that arrives ahead of
 * its predecessors (concurrent senders publish in any order) until they arrive — or, after
 * GAP_WAIT_MS, reads them from the database. One gap therefore costs a query only when the bus
 * really lost something. Live values are the bus's own objects, shared by every subscriber in the
 * process, so their wire form is built once; and when the subscription is idle and the event is
 * the very next one, the bus listener writes it to the socket itself (one pass over all
 * subscribers) instead of waking this generator and tRPC's loop for every recipient.
 */
export async function* gapless<T extends object>(options: {
  signal: AbortSignal;
  capacity: number;
  /** The subscription's WebSocket slot, for direct writes; null over HTTP. */
  slot: SubscriptionSlot | null;
  /** Throws if the subscriber may not have this stream; checked before anything else. */
  authorize?: () => Promise<unknown>;
  /** Starts delivering live signals to `push`; resolves once listening. */
  listen(push: (signal: LiveSignal<T>) => void): Promise<void>;
  /** After a bus outage, anything stored meanwhile is read back. */
  bus: Pick<EventBus, "onRecover">;
  /** The last number the client has; without one, it starts from the current number. */
  lastEventId: string | null | undefined;
  /** The current last number, read once listening. */
  current(): Promise<number>;
  /** Stored items after `after`, oldest first. */
  read(after: number): AsyncIterable<{ seq: number; value: T }>;
  /** Called for every item delivered live (not read back), e.g. to time fan-out. */
  onLive?: (value: T) => void;
}): AsyncGenerator<TrackedEnvelope<T>, void> {
  await options.authorize?.();
  const queue = new EventQueue<Internal<T>>(options.capacity, options.signal);
  // Set once listening, below; nothing is written directly before the queue is first idle, after it.
  let last = 0;
  // Made on the first out-of-order event: most subscriptions never see one, and idle ones are many.
  let early: Map<number, T> | undefined;
  const { slot } = options;
  await options.listen((signal) => {
    // queue.idle: every item yielded so far has been sent (tRPC asks for the next one only after
    // sending), so writing now keeps the order.
    if (slot && signal.kind === "item" && signal.seq === last + 1 && !early?.size && queue.idle) {
      const eventId = String(signal.seq);
      let sent = false;
      try {
        sent = slot.sendDirect(liveFrameTail(eventId, signal.value));
      } catch {
        // Never fail the publisher or the other subscribers: this event takes the normal path.
      }
      if (sent) {
        last = signal.seq;
        options.onLive?.(signal.value);
        return;
      }
    }
    queue.push(signal);
  });
  options.bus.onRecover(() => queue.push({ kind: "resync" }), options.signal);
  last = options.lastEventId != null ? Number(options.lastEventId) : await options.current();
  let gapTimer: NodeJS.Timeout | undefined;
  const stopTimer = () => {
    clearTimeout(gapTimer);
    gapTimer = undefined;
  };
  options.signal.addEventListener("abort", stopTimer, { once: true });
  const live = (value: T) => {
    options.onLive?.(value);
    const eventId = String(last);
    shareAcrossSubscribers(eventId, value);
    return tracked(eventId, value);
  };

  try {
    // Starts by reading the backlog, as after a bus outage: one path for both.
    let signal: Internal<T> | undefined = { kind: "resync" };
    for (; signal !== undefined; signal = await queue.take()) {
      if (signal.kind === "end") return;
      if (signal.kind === "resync" || signal.kind === "gap-timeout") {
        stopTimer();
        for await (const item of options.read(last)) {
          last = item.seq;
          yield tracked(String(item.seq), item.value);
        }
        if (early) for (const seq of early.keys()) if (seq <= last) early.delete(seq);
        continue;
      }
      if (signal.seq <= last) continue;
      if (signal.seq > last + 1) {
        early ??= new Map();
        early.set(signal.seq, signal.value);
        gapTimer ??= setTimeout(() => queue.push({ kind: "gap-timeout" }), GAP_WAIT_MS);
        continue;
      }
      last = signal.seq;
      yield live(signal.value);
      for (let next = early?.get(last + 1); next !== undefined; next = early?.get(last + 1)) {
        early?.delete(last + 1);
        last += 1;
        yield live(next);
      }
      if (!early?.size) stopTimer();
    }
  } finally {
    stopTimer();
  }
}
