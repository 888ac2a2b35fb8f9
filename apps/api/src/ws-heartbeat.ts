import type { WebSocket } from "ws";

/** How often each WebSocket is pinged; one that has not answered by the next round is cut. */
export const HEARTBEAT_MS = 30_000;

/**
 * Finds dead peers (a laptop that slept, a dropped mobile link) so their sockets, presence and
 * subscriptions do not linger: every round, each open socket that has not answered the last
 * ping is cut and the others are pinged. Pings are WebSocket control frames, which browsers and
 * `ws` answer by themselves. One timer per process, where tRPC's keep-alive gave every connection
 * two timers and three closures and restarted them on every message it received.
 */
export class Heartbeat {
  private readonly unanswered = new WeakSet<WebSocket>();
  private readonly timer: NodeJS.Timeout;
  /** One pong listener shared by every socket (ws calls it with the socket as `this`). */
  private readonly answered: (this: WebSocket) => void;

  constructor(
    /** The open sockets, read at each round. */
    private readonly sockets: () => Iterable<WebSocket>,
    intervalMs: number,
  ) {
    const unanswered = this.unanswered;
    this.answered = function (this: WebSocket) {
      unanswered.delete(this);
    };
    this.timer = setInterval(() => this.round(), intervalMs).unref();
  }

  watch(socket: WebSocket): void {
    socket.on("pong", this.answered);
  }

  private round(): void {
    for (const socket of this.sockets()) {
      if (socket.readyState !== socket.OPEN) continue;
      if (this.unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      this.unanswered.add(socket);
      socket.ping();
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
