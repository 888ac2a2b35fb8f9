import { TRPCError } from "@trpc/server";
import type { WebSocket } from "ws";
import { publicSessionId } from "./auth";
import type { EventBus } from "./bus/event-bus";
import type { SessionUser } from "./context";

/** Close codes a client can act on (4000–4999 are the application's). */
export const CLOSE = {
  malformedFrame: 1007,
  sessionEnded: 4401,
  tooManyConnections: 4429,
} as const;

export interface ConnectionLimits {
  maxSubscriptionsPerConnection: number;
  maxConnectionsPerUser: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxSubscriptionsPerConnection: 50,
  maxConnectionsPerUser: 20,
};

/** Per-connection bookkeeping: subscription slots, and the rules for closing the socket. */
export class ConnectionState {
  private subscriptions = 0;

  constructor(private readonly maxSubscriptions: number) {}

  /** Takes a subscription slot or refuses; the returned release is safe to call more than once. */
  acquire(): () => void {
    if (this.subscriptions >= this.maxSubscriptions) {
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: `At most ${this.maxSubscriptions} subscriptions per connection`,
      });
    }
    this.subscriptions++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.subscriptions--;
    };
  }
}

/**
 * Closes a connection whose client sends something that is not a tRPC message, so a broken or
 * hostile client learns why at once and nobody else is affected. tRPC's keep-alive PING passes.
 */
export function closeOnMalformedFrames(socket: WebSocket): void {
  socket.on("message", (data, isBinary) => {
    if (isBinary) {
      socket.close(CLOSE.malformedFrame, "Binary frames are not accepted");
      return;
    }
    const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString("utf8");
    if (text === "PING" || text === "PONG") return;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null) throw new Error("not an object");
    } catch {
      socket.close(CLOSE.malformedFrame, "Frames must be tRPC JSON messages");
    }
  });
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
