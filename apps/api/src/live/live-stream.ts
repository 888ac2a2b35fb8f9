import { tracked, type TrackedEnvelope } from "@trpc/server";
import type { EventBus, Unsubscribe } from "../bus/event-bus";
import { metrics } from "../metrics";
import type { ConnectionState, SubscriptionSlot } from "../ws-connection";
import { liveFrameTail, shareAcrossSubscribers } from "./wire";

/** What a resumable stream's live side can receive. */
export type LiveSignal<T> =
  | { kind: "item"; seq: number; value: T }
  /** Stop: the subscriber left, was removed, or the stream's subject is gone. */
  | { kind: "end" };

/** Besides live signals: the bus was down a while, or a gap waited long enough; read back. */
type Signal<T> = LiveSignal<T> | { kind: "resync" } | { kind: "gap-timeout" };

type Step<T> = IteratorResult<TrackedEnvelope<T>, void>;

const DONE: Step<never> = Object.freeze({ done: true, value: undefined });

/** How long an out-of-order event waits for the ones before it before they are read from the database. */
export const GAP_WAIT_MS = 100;

/** How far a subscriber may fall behind live traffic before it is cut off to resume later. */
const LIVE_BUFFER = 2_000;

/**
 * A numbered, gapless sequence (a room's messages, a user's DM events) as a tracked subscription
 * stream that never skips and never repeats: it listens before reading the backlog after the
 * client's last event id, drops what it already handed out, and holds an event that arrives ahead
 * of its predecessors (concurrent senders publish in any order) until they arrive — or, after
 * GAP_WAIT_MS, reads them from the database. One gap therefore costs a query only when the bus
 * really lost something.
 *
 * Live values are the bus's own objects, shared by every subscriber in the process, so their wire
 * form is built once; and while tRPC waits on `next()` with nothing queued, the very next event is
 * written to the socket by the bus listener itself (one pass over all subscribers) rather than
 * waking tRPC's loop for every recipient.
 *
 * An iterator object rather than an async generator because most subscriptions sit idle for
 * hours: parked, this one holds a pending promise and its fields, where generators, a queue and
 * abort listeners cost each idle connection kilobytes. tRPC calls `return()` whenever a
 * subscription ends (stopped, disconnected, failed or done), which is where it lets go of
 * everything.
 */
export abstract class LiveStream<T extends object> implements AsyncIterableIterator<TrackedEnvelope<T>, void> {
  /** The number of the last item handed out (or written directly). */
  private last = 0;
  /** Holds its slot and is counted in the subscriptions gauge (a refused slot never is). */
  private started = false;
  private done = false;
  private failure: Error | undefined;
  /** A database read (setup or backlog) is under way; its result answers `waiter`. */
  private busy = false;
  private slot: SubscriptionSlot | null = null;
  /** Signals that arrived while tRPC was busy sending; made on the first one. */
  private pending: Signal<T>[] | undefined;
  /** Items that arrived ahead of their predecessors, by number; made on the first one. */
  private early: Map<number, T> | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  /** Stored items being read back (at the start, after an outage, or to fill a gap). */
  private backlog: AsyncIterator<{ seq: number; value: T }> | undefined;
  /** tRPC's pending `next()`: settled exactly once, by whatever makes an answer ready. */
  private waiter: { resolve(step: Step<T>): void; reject(error: Error): void } | undefined;
  private stopListening: Unsubscribe | undefined;
  private stopRecovering: Unsubscribe | undefined;

  constructor(
    /** The metrics label of this kind of stream. */
    private readonly kind: string,
    /** The WebSocket connection it is served on (for direct writes); null over HTTP. */
    private readonly connection: ConnectionState | null,
    protected readonly bus: EventBus,
    /** The last number the client has; without one, it starts from the current number. */
    private readonly lastEventId: string | null | undefined,
    signal: AbortSignal | undefined,
  ) {
    // Over WebSocket tRPC calls return() however the subscription ends. Its HTTP (SSE) stream
    // only does so after a pending next() settles, which on a quiet stream could be hours.
    if (!connection) signal?.addEventListener("abort", () => this.finish(), { once: true });
  }

  /** Throws if the subscriber may not have this stream; checked before anything else. */
  protected abstract authorize(): Promise<unknown>;
  /** Starts handing live signals to `push`; resolves once listening. */
  protected abstract listen(): Promise<Unsubscribe>;
  /** The current last number, read once listening. */
  protected abstract current(): Promise<number>;
  /** Stored items after `after`, oldest first. */
  protected abstract read(after: number): AsyncIterable<{ seq: number; value: T }>;
  /** Called for every item delivered live (not read back), e.g. to time fan-out. */
  protected onLive(_value: T): void {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Step<T>> {
    return new Promise<Step<T>>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.advance();
    });
  }

  return(): Promise<Step<T>> {
    this.finish();
    return Promise.resolve(DONE);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.finish();
  }

  /** A live signal (called by the bus listener `listen` set up). */
  protected push(signal: Signal<T>): void {
    if (this.done) return;
    if (signal.kind === "item" && this.slot && this.canWriteDirectly(signal.seq)) {
      let sent = false;
      try {
        sent = this.slot.sendDirect(liveFrameTail(String(signal.seq), signal.value));
      } catch {
        // Never fail the publisher or the other subscribers: this event takes the normal path.
      }
      if (sent) {
        this.last = signal.seq;
        this.onLive(signal.value);
        return;
      }
    }
    const pending = (this.pending ??= []);
    if (pending.length >= LIVE_BUFFER) {
      this.fail(new Error("Subscriber fell too far behind; reconnect to resume"));
      return;
    }
    pending.push(signal);
    this.advance();
  }

  /**
   * Whether item `seq` may skip tRPC's loop: tRPC is waiting (it asks for the next item only after
   * sending the last), nothing is queued or being read, and it is the very next number.
   */
  private canWriteDirectly(seq: number): boolean {
    return (
      this.waiter !== undefined && !this.busy && !this.pending?.length && !this.early?.size && seq === this.last + 1
    );
  }

  /** Answers tRPC's pending `next()` if something is ready, or starts the read that will. */
  private advance(): void {
    if (!this.waiter || this.busy) return;
    if (this.failure) return this.fail(this.failure);
    if (this.done) return this.answer(DONE);
    if (!this.started) return this.whileBusy(this.start());
    if (this.backlog) return this.whileBusy(this.nextStored(this.backlog));
    const following = this.early?.get(this.last + 1);
    if (following !== undefined) return this.answer(this.live(following));
    for (let signal = this.pending?.shift(); signal !== undefined; signal = this.pending?.shift()) {
      if (signal.kind === "end") return this.finish();
      if (signal.kind === "resync" || signal.kind === "gap-timeout") return this.whileBusy(this.readBack());
      if (signal.seq <= this.last) continue;
      if (signal.seq === this.last + 1) return this.answer(this.live(signal.value));
      (this.early ??= new Map()).set(signal.seq, signal.value);
      this.gapTimer ??= setTimeout(() => this.push({ kind: "gap-timeout" }), GAP_WAIT_MS);
    }
  }

  private answer(step: Step<T>): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(step);
  }

  /** Waits for a read: its item answers tRPC; without one (nothing more stored) look again. */
  private whileBusy(read: Promise<Step<T> | undefined>): void {
    this.busy = true;
    read.then(
      (step) => {
        this.busy = false;
        // Ended meanwhile (failed or returned): advance() gives the answer that ending calls for.
        if (step && !this.done) this.answer(step);
        else this.advance();
      },
      (error: unknown) => {
        this.busy = false;
        this.fail(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  private async start(): Promise<Step<T> | undefined> {
    // Taken before the first await: the connection pairs it with the "started" frame tRPC sends next.
    this.slot = this.connection?.acquire() ?? null;
    metrics.subscriptions.inc({ kind: this.kind });
    this.started = true;
    await this.authorize();
    if (this.done) return DONE;
    const stopListening = await this.listen();
    if (this.done) {
      stopListening();
      return DONE;
    }
    this.stopListening = stopListening;
    this.stopRecovering = this.bus.onRecover(() => this.push({ kind: "resync" }));
    const last = this.lastEventId != null ? Number(this.lastEventId) : await this.current();
    if (this.done) return DONE;
    this.last = last;
    // Starts by reading the backlog, as after a bus outage: one path for both.
    return this.readBack();
  }

  private readBack(): Promise<Step<T> | undefined> {
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    this.backlog = this.read(this.last)[Symbol.asyncIterator]();
    return this.nextStored(this.backlog);
  }

  private async nextStored(backlog: AsyncIterator<{ seq: number; value: T }>): Promise<Step<T> | undefined> {
    const item = await backlog.next();
    if (this.done) return DONE;
    if (!item.done) {
      this.last = item.value.seq;
      return { done: false, value: tracked(String(item.value.seq), item.value.value) };
    }
    this.backlog = undefined;
    if (!this.early) return undefined;
    for (const seq of this.early.keys()) if (seq <= this.last) this.early.delete(seq);
    if (this.early.size === 0) return undefined;
    // Numbers are taken in commit order and events published after commit, so what the read did
    // not return before an early item is not there to wait for (a DM event that is not shown, say):
    // go on from the early item, and keep a timer for any hole after it. An early number the
    // database has not handed out (a failover that lost commits) is dropped: the real event that
    // later takes it must not be shadowed.
    const handedOut = await this.current();
    if (this.done) return undefined;
    for (const seq of this.early.keys()) if (seq > handedOut) this.early.delete(seq);
    if (this.early.size === 0) return undefined;
    this.last = Math.min(...this.early.keys()) - 1;
    this.gapTimer ??= setTimeout(() => this.push({ kind: "gap-timeout" }), GAP_WAIT_MS);
    return undefined;
  }

  private live(value: T): Step<T> {
    this.last += 1;
    if (this.early?.delete(this.last) && this.early.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    }
    this.onLive(value);
    const eventId = String(this.last);
    shareAcrossSubscribers(eventId, value);
    return { done: false, value: tracked(eventId, value) };
  }

  /** Ends the stream with `error`: tRPC's pending or next `next()` rejects with it. */
  private fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
    this.finish();
  }

  /** Lets go of everything; safe to call more than once. */
  private finish(): void {
    this.answer(DONE);
    if (this.done) return;
    this.done = true;
    clearTimeout(this.gapTimer);
    this.stopListening?.();
    this.stopRecovering?.();
    this.pending = this.early = undefined;
    this.backlog?.return?.().catch(() => undefined);
    this.backlog = undefined;
    if (this.started) metrics.subscriptions.dec({ kind: this.kind });
    this.slot?.release();
  }
}
