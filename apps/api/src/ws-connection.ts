import type { Duplex } from "node:stream";
import { TRPCError } from "@trpc/server";
import type { Encoder } from "@trpc/server/adapters/ws";
import type { WebSocket } from "ws";
import { publicSessionId } from "./auth";
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

/** Connections holding writes until this event-loop turn ends. */
const held = new Set<ConnectionState>();

let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  for (const connection of held) {
    held.delete(connection);
    try {
      connection.flush();
    } catch {
      // A broken transport must not leave the connections after it corked; its socket closes itself.
    }
  }
}

/**
 * A server-to-client text frame's header (RFC 6455 §5.2: FIN and opcode 1, no mask, then the
 * payload length in 7, 7+16 or 7+64 bits), written at `offset`; returns where the payload starts.
 */
function writeTextFrameHeader(target: Buffer, offset: number, payloadLength: number): number {
  target[offset] = 0x81;
  if (payloadLength < 126) {
    target[offset + 1] = payloadLength;
    return offset + 2;
  }
  if (payloadLength < 65_536) {
    target[offset + 1] = 126;
    target.writeUInt16BE(payloadLength, offset + 2);
    return offset + 4;
  }
  target[offset + 1] = 127;
  target.writeBigUInt64BE(BigInt(payloadLength), offset + 2);
  return offset + 10;
}

const textFrameHeaderLength = (payloadLength: number) => (payloadLength < 126 ? 2 : payloadLength < 65_536 ? 4 : 10);

/** One subscription's hold on its connection: a slot, and once tRPC has started it, its address. */
export class SubscriptionSlot {
  private released = false;
  private framePrefix: Buffer | null = null;
  address: SubscriptionAddress | null = null;

  constructor(private readonly connection: ConnectionState) {}

  /**
   * Sends a data frame (this subscription's prefix, then the event's tail shared by every
   * subscriber) bypassing tRPC's per-subscription loop, so one event reaches every subscriber of a
   * process in a single pass. Only valid while the subscription's generator is parked with nothing
   * unsent (its LiveStream decides); false when the frame could not be sent this way and must take the
   * normal path.
   */
  sendDirect(frameTail: Buffer): boolean {
    const { socket, limits } = this.connection;
    if (this.released || !this.address || !this.connection.directWrites || socket.readyState !== socket.OPEN)
      return false;
    // A client that stopped reading would otherwise grow this process's memory without bound; it
    // gets a close it can act on, and resumes from its last event id when it reconnects.
    if (socket.bufferedAmount + this.connection.heldBytes > limits.maxBufferedBytes) {
      socket.close(CLOSE.tooSlow, "Too far behind; reconnect to resume");
      return true;
    }
    this.framePrefix ??= liveFramePrefix(this.address);
    this.connection.hold(this.framePrefix, frameTail);
    return true;
  }

  /** Safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.connection.releaseSlot(this);
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
  /** Direct frames waiting for the end of the turn: prefix, tail, prefix, tail… */
  private heldParts: Buffer[] = [];
  /** Their size once framed, headers included. */
  heldBytes = 0;
  /** tRPC's encoder for this connection: the shared one, watching for "started" frames. */
  readonly encoder: Encoder;
  /** Who it is signed in as, once its session has been checked; null for a guest. */
  user: SessionUser | null = null;

  constructor(
    readonly limits: ConnectionLimits,
    readonly socket: WebSocket,
    /** The TCP stream under the WebSocket. */
    private readonly transport: Duplex,
  ) {
    this.encoder = {
      encode: (message) => {
        // tRPC writes what this returns at once: direct frames queued before it must leave first.
        this.holdWrites();
        this.writeHeld();
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
   * Holds this connection's writes until the event-loop turn ends, so the frames of a batch of
   * events (and the replies beside them) leave in one system call rather than one each: on a busy
   * server those calls are the largest cost of fan-out. Direct frames wait as their two parts and
   * are framed into one buffer when they leave, so a delivery costs no allocation of its own.
   */
  private holdWrites(): void {
    if (held.has(this)) return;
    this.transport.cork();
    held.add(this);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushAll);
    }
  }

  /** Queues a direct frame: its subscription's prefix and the event's shared tail. */
  hold(prefix: Buffer, tail: Buffer): void {
    this.holdWrites();
    this.heldParts.push(prefix, tail);
    const payload = prefix.length + tail.length;
    this.heldBytes += textFrameHeaderLength(payload) + payload;
  }

  /** Writes the held direct frames, in order, ahead of anything written after this call. */
  private writeHeld(): void {
    const parts = this.heldParts;
    if (parts.length === 0) return;
    const frames = Buffer.allocUnsafe(this.heldBytes);
    let offset = 0;
    for (let i = 0; i < parts.length; i += 2) {
      const prefix = parts[i];
      const tail = parts[i + 1];
      if (!prefix || !tail) break;
      offset = writeTextFrameHeader(frames, offset, prefix.length + tail.length);
      offset += prefix.copy(frames, offset);
      offset += tail.copy(frames, offset);
    }
    this.heldParts = [];
    this.heldBytes = 0;
    // Once closing, nothing may follow the close frame; the client resumes from its last event id.
    if (this.socket.readyState === this.socket.OPEN) this.transport.write(frames);
  }

  /** Sends a frame of the server's own (not a tRPC reply) after the direct frames held so far. */
  send(text: string): void {
    this.writeHeld();
    this.socket.send(text);
  }

  /** The end of the turn: held frames leave, then everything written meanwhile, in one system call. */
  flush(): void {
    this.writeHeld();
    this.transport.uncork();
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
    const slot = new SubscriptionSlot(this);
    this.awaitingStart = slot;
    return slot;
  }

  /** Gives back a slot taken by acquire() (SubscriptionSlot.release calls it once). */
  releaseSlot(slot: SubscriptionSlot): void {
    this.subscriptions--;
    if (this.awaitingStart === slot) this.awaitingStart = null;
  }
}

/** How often open sockets are checked for sessions that expired while they were open. */
const EXPIRY_SWEEP_MS = 10_000;

/**
 * Every open WebSocket's session, so that a session's end closes its sockets: at logout or
 * revocation (`ended`, fed by the bus's process-wide sessions channel) and, within
 * EXPIRY_SWEEP_MS, at expiry. One index per process rather than a bus listener, a timer and an
 * abort signal per connection, which idle connections paid for in memory.
 */
export class SessionSockets {
  private readonly sockets = new Map<WebSocket, { sessionId: string; expiresAt: number }>();
  private readonly sweep = setInterval(() => this.closeExpired(Date.now()), EXPIRY_SWEEP_MS).unref();

  add(socket: WebSocket, user: SessionUser): void {
    this.sockets.set(socket, { sessionId: publicSessionId(user.sessionToken), expiresAt: user.expiresAt.getTime() });
  }

  remove(socket: WebSocket): void {
    this.sockets.delete(socket);
  }

  ended(sessionIds: string[]): void {
    const ended = new Set(sessionIds);
    for (const [socket, session] of this.sockets) {
      if (ended.has(session.sessionId)) socket.close(CLOSE.sessionEnded, "Session ended");
    }
  }

  private closeExpired(now: number): void {
    for (const [socket, session] of this.sockets) {
      if (session.expiresAt <= now) socket.close(CLOSE.sessionEnded, "Session expired");
    }
  }

  stop(): void {
    clearInterval(this.sweep);
  }
}
