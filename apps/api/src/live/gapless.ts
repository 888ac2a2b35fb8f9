import { EventQueue } from "../bus/queue";

/** What a resumable stream's live side can receive. */
export type LiveSignal<T> =
  | { kind: "item"; seq: number; value: T }
  /** The bus was down a while: anything stored meanwhile must be read back. */
  | { kind: "resync" }
  /** Stop: the subscriber left, was removed, or the stream's subject is gone. */
  | { kind: "end" };

type Internal<T> = LiveSignal<T> | { kind: "gap-timeout" };

/** How long an out-of-order event waits for the ones before it before they are read from the database. */
export const GAP_WAIT_MS = 100;

/**
 * Turns a numbered, gapless sequence (a room's messages, a user's DM events) into a stream that
 * never skips and never repeats: it starts listening before reading the backlog after `after`,
 * drops what it already yielded, and holds an event that arrives ahead of its predecessors
 * (concurrent senders publish in any order) until they arrive — or, after GAP_WAIT_MS, reads them
 * from the database. One gap therefore costs a query only when the bus really lost something.
 */
export async function* gapless<T>(options: {
  signal: AbortSignal;
  capacity: number;
  /** Starts delivering live signals to `push`; resolves once listening. */
  listen(push: (signal: LiveSignal<T>) => void): Promise<void>;
  /** The last number the client has, once listening (the current one when it has none). */
  start(): Promise<number>;
  /** Stored items after `after`, oldest first. */
  read(after: number): AsyncIterable<{ seq: number; value: T }>;
  /** Called for every item delivered live (not read back), e.g. to time fan-out. */
  onLive?: (value: T) => void;
}): AsyncGenerator<{ seq: number; value: T }, void> {
  const queue = new EventQueue<Internal<T>>(options.capacity, options.signal);
  await options.listen((signal) => queue.push(signal));
  let last = await options.start();
  const early = new Map<number, T>();
  let gapTimer: NodeJS.Timeout | undefined;
  const stopTimer = () => {
    clearTimeout(gapTimer);
    gapTimer = undefined;
  };
  options.signal.addEventListener("abort", stopTimer, { once: true });

  async function* catchUp() {
    for await (const item of options.read(last)) {
      last = item.seq;
      yield item;
    }
    for (const seq of early.keys()) if (seq <= last) early.delete(seq);
  }

  try {
    yield* catchUp();
    for await (const signal of queue) {
      if (signal.kind === "end") return;
      if (signal.kind === "resync" || signal.kind === "gap-timeout") {
        stopTimer();
        yield* catchUp();
        continue;
      }
      if (signal.seq <= last) continue;
      if (signal.seq > last + 1) {
        early.set(signal.seq, signal.value);
        gapTimer ??= setTimeout(() => queue.push({ kind: "gap-timeout" }), GAP_WAIT_MS);
        continue;
      }
      last = signal.seq;
      options.onLive?.(signal.value);
      yield { seq: signal.seq, value: signal.value };
      for (let next = early.get(last + 1); next !== undefined; next = early.get(last + 1)) {
        early.delete(last + 1);
        last += 1;
        options.onLive?.(next);
        yield { seq: last, value: next };
      }
      if (early.size === 0) stopTimer();
    }
  } finally {
    stopTimer();
  }
}
