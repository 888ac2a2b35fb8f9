import type { Duplex } from "node:stream";
import { TRPCError } from "@trpc/server";
import type { Encoder } from "@trpc/server/adapters/ws";
import type { WebSocket } from "ws";
import { publicSessionId } from "./auth";
import type { EventBus } from "./bus/event-bus";
import type { SessionUser } from "./context";
import { liveFramePrefix, wsEncoder, type SubscriptionAddress } from "./live/wire";

/** Close codes a client can act on (4000–4999 are the application's). */
export const CLOSE = {
  malformedFrame: 1007,
  sessionEnded: 4401,
  tooManyConnections: 4429,
  tooSlow: 4408,
} as const;

export interface ConnectionLimits {
  maxSubscriptionsPerConnection: number;
  maxConnectionsPerUser: number;
  /** Unsent bytes a connection may pile up before it is closed, to reconnect and resume. */
  maxBufferedBytes: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxSubscriptionsPerConnection: 50,
  maxConnectionsPerUser: 20,
  maxBufferedBytes: 4 * 1024 * 1024,
};

const corked = new Set<Duplex>();

let flushScheduled = false;

function uncorkAll(): void {
  flushScheduled = false;
  for (const stream of corked) {
    corked.delete(stream);
    stream.uncork();
  }
}

/** One subscription's hold on its connection: a slot, and once tRPC has started it, its address. */
export class SubscriptionSlot {
  private released = false;
  private framePrefix: Buffer | null = null;
  address: SubscriptionAddress | null = null;

  constructor(
    private readonly connection: ConnectionState,
    private readonly onRelease: () => void,
  ) {}

  /**
   * Writes a data frame (this subscription's prefix, then the event's tail shared by every
   * subscriber) straight to the socket, bypassing tRPC's per-subscription loop, so one
   * event reaches every subscriber of a process in a single pass. Only valid while the
   * subscription's generator is parked with nothing unsent (gapless decides); false when the frame
   * could not be written this way and must take the normal path.
   */
  sendDirect(frameTail: Buffer): boolean {
    const { socket, limits } = this.connection;
    if (this.released || !this.address || !this.connection.directWrites || socket.readyState !== socket.OPEN)
      return false;
    // A client that stopped reading would otherwise grow this process's memory without bound; it
    // gets a close it can act on, and resumes from its last event id when it reconnects.
    if (socket.bufferedAmount > limits.maxBufferedBytes) {
      socket.close(CLOSE.tooSlow, "Too far behind; reconnect to resume");
      return true;
    }
    this.connection.coalesceWrites();
    this.framePrefix ??= liveFramePrefix(this.address);
    socket.send(Buffer.concat([this.framePrefix, frameTail]), { binary: false });
    return true;
  }

  /** Safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease();
  }
}

const isStartedResponse = (value: unknown): value is SubscriptionAddress => {
  const message = value as { id?: unknown; result?: { type?: unknown } } | null;
  return message?.result?.type === "started" && (typeof message.id === "string" || typeof message.id === "number");
};

/** Per-connection bookkeeping: subscription slots, their addresses, and the connection's encoder. */
export class ConnectionState {
  private subscriptions = 0;
  private awaitingStart: SubscriptionSlot | null = null;
  /**
   * Off for good if "started" frames ever stop pairing with acquire() as described there (a tRPC
   * that orders them differently): every event then takes tRPC's own path, just slower.
   */
  directWrites = true;
  private refusedStarts = 0;
  private callsInFlight = 0;
  /** tRPC's encoder for this connection: the shared one, watching for "started" frames. */
  readonly encoder: Encoder;

  constructor(
    readonly limits: ConnectionLimits,
    readonly socket: WebSocket,
    /** The TCP stream under the WebSocket. */
    private readonly transport: Duplex,
  ) {
    this.encoder = {
      encode: (message) => {
        if (isStartedResponse(message)) {
          if (this.awaitingStart) this.awaitingStart.address = { id: message.id, jsonrpc: message.jsonrpc };
          else if (this.refusedStarts > 0) this.refusedStarts--;
          else this.directWrites = false;
          this.awaitingStart = null;
        }
        return wsEncoder.encode(message);
      },
      decode: (data) => this.decode(data),
    };
  }

  /**
   * Holds this connection's writes until the event loop turn ends, so the frames of a batch of
   * events (and the replies beside them) leave in one system call rather than one each: on a
   * busy server those calls are the largest cost of fan-out.
   */
  coalesceWrites(): void {
    if (corked.has(this.transport)) return;
    this.transport.cork();
    corked.add(this.transport);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(uncorkAll);
    }
  }

  /**
   * Parses an incoming frame for tRPC (keep-alive PING and PONG never get here). A broken or
   * hostile client that sends something else is closed at once and learns why; nobody else is
   * affected.
   */
  private decode(data: string | ArrayBuffer | Uint8Array): unknown {
    let parsed: unknown;
    try {
      parsed = wsEncoder.decode(data);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed === "object" && parsed !== null) return parsed;
    const reason = typeof data === "string" ? "Frames must be tRPC JSON messages" : "Binary frames are not accepted";
    this.socket.close(CLOSE.malformedFrame, reason);
    throw new Error(reason);
  }

  /** Runs a call made over this connection, counting it until it is answered. */
  async during<T>(call: () => Promise<T>): Promise<T> {
    this.callsInFlight++;
    try {
      return await call();
    } finally {
      this.callsInFlight--;
    }
  }

  /** Whether a call made over this connection is still being answered. */
  get busy(): boolean {
    return this.callsInFlight > 0;
  }

  /**
   * Takes a subscription slot or refuses. Called as a subscription's generator first runs: tRPC
   * runs it synchronously up to its first await and then, before anything else is sent on this
   * connection, sends the "started" frame that carries the id the client chose — which is how
   * the slot learns its address.
   */
  acquire(): SubscriptionSlot {
    if (this.subscriptions >= this.limits.maxSubscriptionsPerConnection) {
      // tRPC still announces it as started before sending the error.
      this.refusedStarts++;
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: `At most ${this.limits.maxSubscriptionsPerConnection} subscriptions per connection`,
      });
    }
    this.subscriptions++;
    if (this.awaitingStart) this.directWrites = false;
    const slot = new SubscriptionSlot(this, () => {
      this.subscriptions--;
      if (this.awaitingStart === slot) this.awaitingStart = null;
    });
    this.awaitingStart = slot;
    return slot;
  }
}

/** Closes the socket when its session is logged out, revoked, or expires. */
export function closeWhenSessionEnds(socket: WebSocket, bus: EventBus, user: SessionUser, expiresAt: Date): void {
  const controller = new AbortController();
  socket.once("close", () => controller.abort());
  const sessionId = publicSessionId(user.sessionToken);
  void bus.subscribe(
    "user",
    user.id,
    (event) => {
      if (event.kind === "sessions-ended" && event.sessionIds.includes(sessionId)) {
        socket.close(CLOSE.sessionEnded, "Session ended");
      }
    },
    controller.signal,
  );
  // Timers cannot wait longer than ~24.8 days; a longer-lived socket closes early and its client reconnects.
  const wait = Math.min(expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
  const timer = setTimeout(() => socket.close(CLOSE.sessionEnded, "Session expired"), Math.max(0, wait));
  controller.signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
}
